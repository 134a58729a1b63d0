"""booking limits: holders locked while a booking is counted, and cancel/change attempts

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 06:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "booking_holders",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("touched_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("booking_holders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_booking_holders_touched_at"), ["touched_at"], unique=False)
    op.create_table(
        "cancel_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.String(length=128), nullable=False),
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column("matched", sa.Boolean(), nullable=False),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("cancel_attempts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cancel_attempts_sender_id"), ["sender_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cancel_attempts_number"), ["number"], unique=False)
        batch_op.create_index(batch_op.f("ix_cancel_attempts_attempted_at"), ["attempted_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("cancel_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cancel_attempts_attempted_at"))
        batch_op.drop_index(batch_op.f("ix_cancel_attempts_number"))
        batch_op.drop_index(batch_op.f("ix_cancel_attempts_sender_id"))
    op.drop_table("cancel_attempts")
    with op.batch_alter_table("booking_holders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_booking_holders_touched_at"))
    op.drop_table("booking_holders")
