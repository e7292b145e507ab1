"""Shows `rasa train` as a few plain progress lines instead of warnings and raw bars.

Reads rasa's combined output from stdin, keeps all of it in a log file (for when something goes
wrong), and prints the stage, the DIET epoch with the time left, and errors. Exit status is the
one given with --status once the stream ends (the caller passes rasa's).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

EPOCHS = re.compile(r"Epochs:\s+(\d+)%\|[^|]*\|\s*(\d+)/(\d+)\s*\[([\d:]+)<([\d:?]+)")
COMPONENT = re.compile(r"Starting to train component '([^']+)'")
STAGES = {
    "Training NLU model": "자연어 이해(NLU) 모델",
    "Training Core model": "대화 규칙(Core)",
    "Restored component": None,
}
NAMES = {
    "KiwiTokenizer": "형태소 분석기(Kiwi)",
    "RegexFeaturizer": "정규식 특징",
    "LexicalSyntacticFeaturizer": "어휘 특징",
    "CountVectorsFeaturizer": "단어·글자 특징",
    "DIETClassifier": "의도·개체 분류기(DIET)",
    "EntitySynonymMapper": "동의어",
    "KoreanEntityNormalizer": "한국어 정규화",
    "RulePolicy": "대화 규칙",
    "FallbackClassifier": "모름 판정",
}
ERROR = re.compile(r"Traceback|Error|error:|Exception")


def _left(text: str) -> str:
    parts = [int(p) for p in text.split(":") if p.isdigit()]
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + part
    if seconds >= 60:
        minutes, rest = divmod(seconds, 60)
        return f"약 {minutes}분 {rest}초" if rest else f"약 {minutes}분"  # not "1분 0초"
    return f"약 {seconds}초"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--log", required=True)
    args = parser.parse_args()
    log = Path(args.log)
    log.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    shown_component = ""
    last_epoch_print = -1
    errors: list[str] = []
    buffer = b""
    with log.open("wb") as raw:
        while chunk := sys.stdin.buffer.read1(4096):
            raw.write(chunk)
            buffer += chunk
            *lines, buffer = re.split(rb"[\r\n]", buffer)
            for line_bytes in lines:
                line = line_bytes.decode("utf-8", "replace")
                epoch = EPOCHS.search(line)
                if epoch:
                    done, total = int(epoch.group(2)), int(epoch.group(3))
                    step = max(1, total // 10)
                    if done == total:
                        if last_epoch_print != -2:  # the bar redraws its last line: say it once
                            last_epoch_print = -2
                            print(
                                f"[train]   학습 {done}/{total}회를 마쳤습니다. 마무리하는 중입니다"
                                " (1분쯤 걸릴 수 있어요)…",
                                flush=True,
                            )
                    elif done // step != last_epoch_print:
                        last_epoch_print = done // step
                        print(
                            f"[train]   학습 {done}/{total}회, 남은 시간 {_left(epoch.group(5))}",
                            flush=True,
                        )
                    continue
                component = COMPONENT.search(line)
                if component:
                    name = component.group(1).split(".")[-1].split("_")[0]
                    label = NAMES.get(name, name)
                    if label != shown_component:
                        shown_component = label
                        elapsed = int(time.monotonic() - started)
                        print(f"[train] {label} 학습 중… ({elapsed}초 지남)", flush=True)
                        last_epoch_print = -1
                    continue
                if ERROR.search(line) and "Warning" not in line:
                    errors.append(line.strip())
    if errors:
        print("[train] 학습 중 오류가 있었습니다. 마지막 줄:", file=sys.stderr)
        for line in errors[-5:]:
            print(f"        {line}", file=sys.stderr)
        print(f"[train] 전체 기록: {log}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
