"""What actions need, built once by the action server's factory and handed to each action."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from knowledge.appointments import Appointments
from knowledge.catalog_store import Catalog
from knowledge.districts import DistrictIndex
from knowledge.events import EventDesk
from knowledge.personal_data import PersonalData
from knowledge.subscriptions import Subscriptions
from knowledge.when import SEOUL


def seoul_now() -> dt.datetime:
    return dt.datetime.now(SEOUL)


@dataclass(frozen=True)
class ActionDeps:
    catalog: Catalog
    districts: DistrictIndex
    appointments: Appointments
    subscriptions: Subscriptions
    personal_data: PersonalData
    events: EventDesk
    now: Callable[[], dt.datetime] = seoul_now

    def today(self) -> dt.date:
        return self.now().astimezone(SEOUL).date()


class UsesDeps:
    """Mixin for actions built once with their dependencies (`actions.build_actions`)."""

    def __init__(self, deps: ActionDeps) -> None:
        self.deps = deps
