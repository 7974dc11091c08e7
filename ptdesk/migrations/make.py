"""Developer tool: write a new migration by comparing the models with a database at head.

Usage: python -m ptdesk.migrations.make "what changed" --rev 0002
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from alembic import command

from ptdesk.db import alembic_config, make_engine, upgrade


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("message")
    parser.add_argument("--rev", required=True, help="revision id, e.g. 0002")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(Path(tmp) / "head.sqlite3")
        upgrade(engine)
        cfg = alembic_config()
        with engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.revision(cfg, message=args.message, autogenerate=True, rev_id=args.rev)
        engine.dispose()


if __name__ == "__main__":
    main()
