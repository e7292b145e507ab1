"""`make bench-nlu`: our pipeline vs Rasa's default pipeline on the held-out Korean sets.

Runs in the engine runtime. Both models are trained on the same data (nlu/data); the held-out
files are never used for training: tests/nlu/heldout.yml (clean sentences) and
tests/nlu/heldout_messy.yml (typed the way people aged 45–70 type: no spacing, dialect, typos,
long preambles), each written separately from the training data. Reports intent accuracy, macro
F1, entity F1 on canonical values and parse latency per set, and writes JSON beside the table.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from collections import Counter
from pathlib import Path
from typing import Any

from rasa.core.agent import load_agent
from rasa.shared.nlu.training_data.loading import load_data

Pair = tuple[str, str]
# Entities compared on their canonical value; date/time carry the words as said (DESIGN).
AS_SAID = {"date", "time"}


def gold_entities(example: Any) -> set[Pair]:
    text = example.get("text")
    pairs = set()
    for entity in example.get("entities") or []:
        name = entity["entity"]
        if name in AS_SAID:
            value = text[entity["start"] : entity["end"]]
        else:
            value = entity.get("value", text[entity["start"] : entity["end"]])
        pairs.add((name, _norm(value)))
    return pairs


def predicted_entities(result: dict[str, Any]) -> set[Pair]:
    pairs = set()
    for entity in result.get("entities") or []:
        name = entity["entity"]
        if name in AS_SAID and "start" in entity:
            value = result["text"][entity["start"] : entity["end"]]
        else:
            value = entity.get("value")
        pairs.add((name, _norm(value)))
    return pairs


def _norm(value: Any) -> str:
    return "".join(str(value).split())


def macro_f1(gold: list[str], pred: list[str]) -> float:
    labels = sorted(set(gold))
    scores = []
    for label in labels:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == p == label)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if p == label and g != label)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


async def evaluate(model: Path, heldout: Path) -> dict[str, Any]:
    agent = await load_agent(model_path=str(model))
    data = load_data(str(heldout))
    gold_intents: list[str] = []
    pred_intents: list[str] = []
    tp = fp = fn = 0
    per_entity: dict[str, Counter] = {}
    latencies: list[float] = []
    confusions: Counter = Counter()
    for example in data.intent_examples:
        text = example.get("text")
        started = time.perf_counter()
        result = await agent.parse_message(text)
        latencies.append((time.perf_counter() - started) * 1000)
        gold_intent = example.get("intent")
        pred_intent = (result.get("intent") or {}).get("name") or "None"
        gold_intents.append(gold_intent)
        pred_intents.append(pred_intent)
        if gold_intent != pred_intent:
            confusions[(gold_intent, pred_intent)] += 1
        gold, pred = gold_entities(example), predicted_entities(result)
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
        for name, _ in gold | pred:
            per_entity.setdefault(name, Counter())
        for pair in gold & pred:
            per_entity[pair[0]]["tp"] += 1
        for pair in pred - gold:
            per_entity[pair[0]]["fp"] += 1
        for pair in gold - pred:
            per_entity[pair[0]]["fn"] += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    latencies.sort()
    return {
        "model": model.name,
        "examples": len(gold_intents),
        "intent_accuracy": sum(g == p for g, p in zip(gold_intents, pred_intents, strict=True))
        / len(gold_intents),
        "intent_macro_f1": macro_f1(gold_intents, pred_intents),
        "entity_precision": precision,
        "entity_recall": recall,
        "entity_f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "entity_f1_by_type": {
            name: round(2 * c["tp"] / (2 * c["tp"] + c["fp"] + c["fn"]), 3) if c["tp"] else 0.0
            for name, c in sorted(per_entity.items())
        },
        "latency_ms_p50": statistics.median(latencies),
        "latency_ms_p95": latencies[int(0.95 * (len(latencies) - 1))],
        "top_confusions": [
            {"gold": g, "predicted": p, "count": n} for (g, p), n in confusions.most_common(10)
        ],
    }


def table(results: list[dict[str, Any]]) -> str:
    rows = [
        ("intent accuracy", "intent_accuracy", "{:.1%}"),
        ("intent macro F1", "intent_macro_f1", "{:.3f}"),
        ("entity F1 (canonical)", "entity_f1", "{:.3f}"),
        ("entity precision", "entity_precision", "{:.3f}"),
        ("entity recall", "entity_recall", "{:.3f}"),
        ("parse p50 (ms)", "latency_ms_p50", "{:.1f}"),
        ("parse p95 (ms)", "latency_ms_p95", "{:.1f}"),
    ]
    header = f"{'NLU (held-out, ' + str(results[0]['examples']) + ' utterances)':<36}" + "".join(
        f"{r['label']:>22}" for r in results
    )
    lines = [header, "-" * len(header)]
    for title, key, fmt in rows:
        lines.append(f"{title:<36}" + "".join(f"{fmt.format(r[key]):>22}" for r in results))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ours", required=True)
    parser.add_argument("--baseline", required=True)
    parser.add_argument(
        "--heldout", nargs="+", default=["tests/nlu/heldout.yml", "tests/nlu/heldout_messy.yml"]
    )
    parser.add_argument("--out", default="bench-results/nlu.json")
    args = parser.parse_args()
    results = []
    for heldout in args.heldout:
        per_set = []
        for label, path in (("이음 (Kiwi)", args.ours), ("Rasa default", args.baseline)):
            result = asyncio.run(evaluate(Path(path), Path(heldout)))
            result["label"] = label
            result["heldout"] = heldout
            per_set.append(result)
        print(f"\n== {heldout} ==")
        print(table(per_set))
        for result in per_set:
            print(f"\n{result['label']} entity F1 by type: {result['entity_f1_by_type']}")
            print(f"{result['label']} top confusions (gold → predicted):")
            for c in result["top_confusions"]:
                print(f"  {c['gold']} → {c['predicted']}: {c['count']}")
        results += per_set
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\n[bench] {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
