"""`accord audit verify | head | checkpoint [--output FILE] | checkpoint --verify FILE`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accord.audit.checkpoint import (
    CheckpointInvalid,
    check_checkpoint,
    create_checkpoint,
    export_checkpoint,
)
from accord.audit.selectors import DEFAULT_BATCH_SIZE, chain_head
from accord.audit.verify import verify_stored


class Command(BaseCommand):
    help = "Verify the audit chain, show its head, or export and check signed checkpoints."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        verify = actions.add_parser(
            "verify", help="Walk the whole chain; exit 1 naming the first bad event."
        )
        verify.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
        actions.add_parser("head", help="Print the newest event's seq and hash.")
        checkpoint = actions.add_parser(
            "checkpoint", help="Export a signed checkpoint of the head, or check one."
        )
        mode = checkpoint.add_mutually_exclusive_group()
        mode.add_argument("--output", "-o", type=Path, help="Write to FILE instead of stdout.")
        mode.add_argument(
            "--verify",
            type=Path,
            metavar="FILE",
            help="Check FILE's signature and that the chain still holds its event.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "verify":
            self._verify(options["batch_size"])
        elif action == "head":
            seq, head_hash = chain_head()
            self.stdout.write(f"{seq} {head_hash}")
        elif options["verify"] is not None:
            self._check_checkpoint(options["verify"])
        else:
            self._export_checkpoint(options["output"])

    def _verify(self, batch_size: int) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        result = verify_stored(batch_size=batch_size)
        if not result.ok:
            raise CommandError(result.summary(), returncode=1)
        self.stdout.write(self.style.SUCCESS(result.summary()))

    def _export_checkpoint(self, output: Path | None) -> None:
        text = export_checkpoint(create_checkpoint())
        if output is None:
            self.stdout.write(text, ending="")
            return
        output.write_text(text, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Checkpoint written to {output}."))

    def _check_checkpoint(self, path: Path) -> None:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.", returncode=1) from error
        try:
            result = check_checkpoint(text)
        except CheckpointInvalid as error:
            raise CommandError(str(error), returncode=1) from error
        if not result.ok:
            raise CommandError(result.summary(), returncode=1)
        self.stdout.write(self.style.SUCCESS(result.summary()))
