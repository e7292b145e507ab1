"""Reads and validates the KB YAML files, reporting every problem as `file: entry: field: problem`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from knowledge.districts import DistrictIndex, load_districts
from knowledge.reference import ReferenceTables
from knowledge.schema import Center, Event, Program, Referral
from knowledge.text import alias_key

DEFAULT_KB_DIR = Path(__file__).parent / "data"
REFERENCE_FILE = "reference_tables.yaml"

# Program ids other code relies on (DESIGN "NLU: entities").
REQUIRED_PROGRAM_IDS: tuple[str, ...] = (
    "lifecycle_career_design", "outplacement_service", "rebound_program", "transition_school",
    "career_support_program", "naeil_ieum_package", "national_employment_support",
    "leap_guarantee_package", "polytech_middle_aged_course", "naeil_baeum_card",
    "social_contribution_activity", "seoul_employment_academy", "seoul_career_talent_support",
    "seoul_boram_jobs", "seoul_50plus_internship", "dongheng_incentive",
    "unemployment_benefit", "early_reemployment_allowance", "hope_return_package",
    "continued_employment_incentive", "senior_employment_subsidy",
)  # fmt: skip

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class KbProblem:
    file: str
    entry: str
    field: str
    problem: str

    def __str__(self) -> str:
        return f"{self.file}: {self.entry}: {self.field}: {self.problem}"


@dataclass
class KnowledgeBase:
    programs: dict[str, Program] = field(default_factory=dict)
    centers: dict[str, Center] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    districts: DistrictIndex | None = None
    reference: ReferenceTables | None = None  # 기준표 for benefit calculations
    referrals: dict[str, Referral] = field(default_factory=dict)  # topics we send elsewhere


class KbInvalid(Exception):
    def __init__(self, problems: list[KbProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def _kind_files(root: Path, kind: str) -> list[Path]:
    files = []
    single = root / f"{kind}.yaml"
    if single.is_file():
        files.append(single)
    folder = root / kind
    if folder.is_dir():
        files.extend(sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")))
    return files


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _load_yaml(path: Path, shown: str, problems: list[KbProblem]) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        problems.append(KbProblem(shown, "-", "-", "not UTF-8 text"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        problems.append(KbProblem(shown, "-", "yaml", f"{where}{problem}"))
    return None


def _entries(
    data: Any, key: str, shown: str, problems: list[KbProblem]
) -> Iterable[tuple[str, Any]]:
    if data is None:
        return []
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        problems.append(
            KbProblem(shown, "-", key, f"top level must be a mapping with a '{key}' list")
        )
        return []
    out = []
    for index, item in enumerate(data[key]):
        name = item.get("id") if isinstance(item, dict) else None
        out.append((str(name) if name else f"#{index + 1}", item))
    return out


def _validate(
    model: type[M], entry: str, item: Any, shown: str, problems: list[KbProblem]
) -> M | None:
    if not isinstance(item, dict):
        problems.append(KbProblem(shown, entry, "-", "entry must be a mapping"))
        return None
    try:
        return model.model_validate(item)
    except ValidationError as exc:
        for error in exc.errors():
            loc = ".".join(
                str(part) for part in error["loc"] if not str(part).startswith("function-")
            )
            problems.append(KbProblem(shown, entry, loc or "-", error["msg"]))
        return None


def _read_kind(
    root: Path, kind: str, model: type[M], problems: list[KbProblem]
) -> dict[str, tuple[M, str]]:
    found: dict[str, tuple[M, str]] = {}
    for path in _kind_files(root, kind):
        shown = _display(path, root)
        data = _load_yaml(path, shown, problems)
        for entry, item in _entries(data, kind, shown, problems):
            parsed = _validate(model, entry, item, shown, problems)
            if parsed is None:
                continue
            if parsed.id in found:  # type: ignore[attr-defined]
                problems.append(
                    KbProblem(shown, entry, "id", f"duplicate id (also in {found[entry][1]})")
                )
                continue
            found[parsed.id] = (parsed, shown)  # type: ignore[attr-defined]
    return found


def read_kb(root: Path = DEFAULT_KB_DIR) -> tuple[KnowledgeBase, list[KbProblem]]:
    """Reads everything it can and returns the problems found (empty list = valid)."""
    problems: list[KbProblem] = []
    if not root.is_dir():
        return KnowledgeBase(), [KbProblem(str(root), "-", "-", "no such directory")]
    districts = None
    districts_path = root / "districts.yaml"
    if districts_path.is_file():
        try:
            districts = load_districts(districts_path)
        except (yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
            problems.append(KbProblem(_display(districts_path, root), "-", "-", str(exc)))
    else:
        problems.append(KbProblem(_display(districts_path, root), "-", "-", "file is missing"))

    programs = _read_kind(root, "programs", Program, problems)
    centers = _read_kind(root, "centers", Center, problems)
    events = _read_kind(root, "events", Event, problems)
    referrals = _read_kind(root, "referrals", Referral, problems)
    problems += referral_overlaps(programs, referrals)

    for program_id in REQUIRED_PROGRAM_IDS:
        if program_id not in programs:
            problems.append(KbProblem("programs", program_id, "id", "required program is missing"))
    if districts is not None:
        for center, shown in centers.values():
            names = [center.district] if center.district else []
            for name in [*names, *center.serves]:
                if districts.find(name, center.region if center.region != "전국" else None) is None:
                    problems.append(
                        KbProblem(
                            shown,
                            center.id,
                            "district",
                            f"unknown district '{name}' in {center.region}",
                        )
                    )
    kb = KnowledgeBase(
        programs={k: v for k, (v, _) in programs.items()},
        centers={k: v for k, (v, _) in centers.items()},
        events={k: v for k, (v, _) in events.items()},
        referrals={k: v for k, (v, _) in referrals.items()},
        districts=districts,
        reference=read_reference(root, problems),
    )
    return kb, problems


def referral_overlaps(
    programs: dict[str, tuple[Program, str]], referrals: dict[str, tuple[Referral, str]]
) -> list[KbProblem]:
    """A referral alias that is also a program's name would send people away from a program we
    do answer ("희망리턴패키지" must get its own answer, never "아직 안내하지 못해요")."""
    names = {
        alias_key(name): program.id
        for program, _ in programs.values()
        for name in [program.name, *program.aliases]
    }
    problems = []
    for referral, shown in referrals.values():
        for alias in [referral.topic, *referral.aliases]:
            if alias_key(alias) in names:
                problems.append(
                    KbProblem(
                        shown,
                        referral.id,
                        "aliases",
                        f"'{alias}' is a name of program {names[alias_key(alias)]}",
                    )
                )
    return problems


def read_referrals(root: Path) -> tuple[dict[str, Referral], list[KbProblem]]:
    """Only the referrals file (the action server reads it without the whole KB)."""
    problems: list[KbProblem] = []
    found = _read_kind(root, "referrals", Referral, problems)
    return {k: v for k, (v, _) in found.items()}, problems


def read_reference(root: Path, problems: list[KbProblem]) -> ReferenceTables | None:
    """The 기준표 file, problems named `file: table: field: problem` like the other kinds."""
    path = root / REFERENCE_FILE
    shown = _display(path, root)
    if not path.is_file():
        problems.append(KbProblem(shown, "-", "-", "file is missing"))
        return None
    data = _load_yaml(path, shown, problems)
    if data is None:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("reference_tables"), dict):
        problems.append(
            KbProblem(
                shown, "-", "reference_tables", "top level must be a 'reference_tables' mapping"
            )
        )
        return None
    try:
        return ReferenceTables.model_validate(data["reference_tables"])
    except ValidationError as exc:
        for error in exc.errors():
            parts = [str(p) for p in error["loc"] if not str(p).startswith("function-")]
            entry = parts[0] if parts else "-"
            problems.append(KbProblem(shown, entry, ".".join(parts[1:]) or "-", error["msg"]))
        return None


def load_kb(root: Path = DEFAULT_KB_DIR) -> KnowledgeBase:
    kb, problems = read_kb(root)
    if problems:
        raise KbInvalid(problems)
    return kb
