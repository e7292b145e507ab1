"""usage records (one row per turn, no personal data) and review decisions

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "usage_turns",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("sender_hash", sa.String(length=64), nullable=False),
        sa.Column("intent", sa.String(length=64), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("action", sa.String(length=100), nullable=True),
        sa.Column("program", sa.String(length=64), nullable=True),
        sa.Column("verdict", sa.String(length=16), nullable=True),
        sa.Column("fallback", sa.Boolean(), nullable=False),
        sa.Column("apology", sa.Boolean(), nullable=False),
        sa.Column("latency_ms", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("review_key", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("usage_turns", schema=None) as batch_op:
        batch_op.create_index("ix_usage_turns_at", ["at"])
        batch_op.create_index("ix_usage_turns_sender", ["sender_hash"])
        batch_op.create_index("ix_usage_turns_review", ["review_key", "at"])
    op.create_table(
        "usage_reviews",
        sa.Column("review_key", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("intent", sa.String(length=64), nullable=True),
        sa.Column("entities", sa.JSON(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("review_key"),
    )


def downgrade() -> None:
    op.drop_table("usage_reviews")
    with op.batch_alter_table("usage_turns", schema=None) as batch_op:
        batch_op.drop_index("ix_usage_turns_review")
        batch_op.drop_index("ix_usage_turns_sender")
        batch_op.drop_index("ix_usage_turns_at")
    op.drop_table("usage_turns")
