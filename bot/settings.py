"""The one typed settings object, read from the environment (and `.env` when present)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every knob of the app runtime. Field names are the environment variable names."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", case_sensitive=False)

    ieum_var_dir: Path = Path("var")
    ieum_database_url: str = ""
    ieum_tracker_db: str = ""  # the engine's SQLite tracker store; default var/rasa_tracker.db
    # scale-out: the engine's tracker store in PostgreSQL (used together with REDIS_URL)
    ieum_tracker_url: str = ""
    # Engine processes. One machine: forked from one loaded model, worker i on RASA_URL's port
    # + i, each conversation always sent to the same one (nlu/prefork.py). Scale-out
    # (REDIS_URL): Rasa's own Sanic workers on one port (SANIC_WORKERS), each loading the model.
    ieum_engine_workers: int = Field(2, ge=1, le=16)
    # the engine deletes stored conversation events older than this (consent: 30 days)
    ieum_conversation_retention_days: int = Field(30, ge=1, le=3650)
    ieum_kb_dir: str = ""  # KB YAML folder; default knowledge/data
    ieum_host: str = "127.0.0.1"
    ieum_port: int = Field(8080, ge=1, le=65535)

    rasa_url: str = "http://127.0.0.1:5005"
    rasa_token: str = ""
    ieum_engine_timeout: float = Field(10.0, gt=0)
    ieum_engine_connect_timeout: float = Field(1.5, gt=0)

    ieum_actions_host: str = "127.0.0.1"
    ieum_actions_port: int = Field(5055, ge=1, le=65535)
    ieum_actions_token: str = ""

    admin_token: str = ""

    # "N/seconds"; "0" or empty turns a limit off (load benchmarks)
    ieum_rate_limit_user: str = "30/60"
    ieum_rate_limit_ip: str = "300/60"

    telegram_bot_token: str = ""
    telegram_api_base: str = "https://api.telegram.org/bot"
    telegram_webhook_url: str = ""
    telegram_secret_token: str = ""

    kakao_skill_secret: str = ""
    # where the answer to a slow Kakao request may be POSTed (only with KAKAO_SKILL_SECRET):
    # host names (https, port 443) or full origins such as http://127.0.0.1:8081 (tests)
    kakao_callback_hosts: str = "bot-api.kakao.com"
    ieum_rate_limit_kakao_ip: str = "1200/60"  # Kakao's servers carry every user: set high
    # comma-separated proxy IPs/CIDRs whose X-Forwarded-For / X-Forwarded-Proto we believe
    ieum_trusted_proxies: str = ""
    ieum_log_key: str = ""  # HMAC key for user fingerprints in logs; generated per run when empty
    redis_url: str = ""
    ieum_quiet_hours: str = "21-8"
    ieum_notifier_idle_seconds: float = Field(2.0, gt=0)  # outbox poll interval when idle
    ieum_outbox_lease_seconds: float = Field(
        120.0, gt=0
    )  # a crashed sender's claims return after this

    # operator console (issue 15): usage records without personal data
    ieum_usage_key: str = ""  # HMAC key for senders in usage rows; var/usage.key when empty
    ieum_usage_retention_days: int = Field(90, ge=1, le=3650)
    ieum_usage_low_confidence: float = Field(0.6, ge=0, le=1)  # below: kept for review
    ieum_reviewed_nlu_file: Path = Path("nlu/data/nlu/reviewed.yml")

    @field_validator("ieum_quiet_hours")
    @classmethod
    def _quiet_hours(cls, value: str) -> str:
        from knowledge.when import QuietHours

        QuietHours.parse(value)  # raises with a Korean message
        return value

    @field_validator("ieum_trusted_proxies")
    @classmethod
    def _trusted_proxies(cls, value: str) -> str:
        from bot.trusted_proxies import parse_trusted

        parse_trusted(value)  # raises naming the bad entry
        return value

    @field_validator("rasa_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @property
    def database_url(self) -> str:
        """SQLAlchemy async URL; a SQLite file under the var dir unless configured."""
        if self.ieum_database_url:
            return self.ieum_database_url
        return f"sqlite+aiosqlite:///{(self.ieum_var_dir / 'ieum.db').as_posix()}"

    @property
    def tracker_db_path(self) -> Path:
        return (
            Path(self.ieum_tracker_db)
            if self.ieum_tracker_db
            else self.ieum_var_dir / "rasa_tracker.db"
        )

    @property
    def scale_out(self) -> bool:
        """Redis lock store and a SQL server tracker store instead of the one-machine defaults."""
        return bool(self.redis_url)

    @property
    def engine_routes(self) -> int:
        """Engine ports the app spreads conversations over (one port when scaled out)."""
        return 1 if self.scale_out else self.ieum_engine_workers

    @property
    def tracker_store_url(self) -> str:
        """SQLAlchemy async URL of the engine's conversation store (for delete_my_data)."""
        if self.scale_out and self.ieum_tracker_url:
            return self.ieum_tracker_url
        return f"sqlite+aiosqlite:///{self.tracker_db_path.as_posix()}"

    @property
    def actions_url(self) -> str:
        return f"http://{self.ieum_actions_host}:{self.ieum_actions_port}"


def load_settings(env_file: str | None = ".env") -> Settings:
    """Reads settings from the environment, falling back to `env_file` when it exists."""
    if env_file and Path(env_file).is_file():
        return Settings(_env_file=env_file)  # type: ignore[call-arg]
    return Settings()
