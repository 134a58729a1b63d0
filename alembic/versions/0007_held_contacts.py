"""held contacts: phone numbers and e-mail addresses typed in the chat, until a record takes them

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "held_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.String(length=128), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("value", sa.String(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["message_id"], ["messages.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("held_contacts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_held_contacts_sender_id"), ["sender_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_held_contacts_message_id"), ["message_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_held_contacts_created_at"), ["created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("held_contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_held_contacts_created_at"))
        batch_op.drop_index(batch_op.f("ix_held_contacts_message_id"))
        batch_op.drop_index(batch_op.f("ix_held_contacts_sender_id"))
    op.drop_table("held_contacts")
