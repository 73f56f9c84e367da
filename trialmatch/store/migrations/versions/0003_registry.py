"""Patient registry, match records, rescreens and their chunks, match events, trial screen states

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "patients",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("bundle_hash", sa.String(64), nullable=False),
        sa.Column("bundle", sa.JSON(), nullable=True),
        sa.Column("extractor_version", sa.String(64), nullable=False),
        sa.Column("data_version", sa.Integer(), nullable=False),
        sa.Column("review_on", sa.Date(), nullable=True, index=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    )
    op.create_table(
        "match_records",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("patient_id", sa.String(64), sa.ForeignKey("patients.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("trial_id", sa.String(64), nullable=False, index=True),
        sa.Column("result_class", sa.String(16), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("criteria_version", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("rescreen_id", sa.String(32), nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.UniqueConstraint("patient_id", "trial_id"),
    )
    op.create_table(
        "rescreens",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("trigger", sa.String(32), nullable=False),
        sa.Column("trial_ids", sa.JSON(), nullable=True),
        sa.Column("patient_ids", sa.JSON(), nullable=True),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("chunk_total", sa.Integer(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("dispatched_at", TZ, nullable=True),
        sa.Column("finished_at", TZ, nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
    )
    op.create_table(
        "rescreen_chunks",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("rescreen_id", sa.String(32), sa.ForeignKey("rescreens.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("chunk_no", sa.Integer(), nullable=False),
        sa.Column("patient_ids", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=True),
        sa.Column("errors", sa.JSON(), nullable=True),
        sa.Column("catalogue_version", sa.String(32), nullable=True),
        sa.Column("finished_at", TZ, nullable=True),
        sa.UniqueConstraint("rescreen_id", "chunk_no"),
    )
    op.create_table(
        "match_events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("rescreen_id", sa.String(32), nullable=False, index=True),
        sa.Column("chunk_no", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.String(64), nullable=False, index=True),
        sa.Column("trial_id", sa.String(64), nullable=False),
        sa.Column("change", sa.String(32), nullable=False),
        sa.Column("before", sa.String(16), nullable=False),
        sa.Column("after", sa.String(16), nullable=False),
        sa.Column("criteria_version", sa.Integer(), nullable=True),
        sa.Column("at", TZ, nullable=False),
        sa.Column("delivered_at", TZ, nullable=True),
    )
    op.create_table(
        "trial_screen_states",
        sa.Column("trial_id", sa.String(64), primary_key=True),
        sa.Column("criteria_version", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(64), nullable=True),
        sa.Column("verified_at", TZ, nullable=False),
    )


def downgrade() -> None:
    for table in ("trial_screen_states", "match_events", "rescreen_chunks", "rescreens", "match_records", "patients"):
        op.drop_table(table)
