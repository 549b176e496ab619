"""Signed checkpoints: the chain's head, exported so it can be kept outside the database.

Triggers stop edits through the application, but whoever controls the database can drop them
and rewrite the chain from some point onwards, recomputing every hash. A checkpoint kept
elsewhere (with the Monitoring Officer, in the records system) exposes that: the rewritten
chain no longer holds the checkpoint's hash at its `seq`, or no longer reaches it.

The signature (Django's signing, keyed by SECRET_KEY, with a salt of its own) shows the file
came from this installation unaltered; `SECRET_KEY_FALLBACKS` keeps old checkpoints valid after
a key rotation.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.core import signing

from accord.audit.chain import canonical_json
from accord.audit.selectors import chain_head
from accord.audit.verify import Anchor, VerifyResult, verify_stored
from accord.core import clock

SALT = "accord.audit.checkpoint"


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    time: str
    council: str

    def signed_text(self) -> str:
        """As a file to keep: see `export_checkpoint`."""
        return export_checkpoint(self)


class CheckpointInvalid(Exception):
    """The file is not a checkpoint this installation signed, unaltered."""


def _signer() -> signing.Signer:
    return signing.Signer(salt=SALT)


def create_checkpoint() -> Checkpoint:
    seq, head_hash = chain_head()
    return Checkpoint(
        seq=seq,
        hash=head_hash,
        time=clock.now().isoformat(timespec="seconds"),
        council=settings.ACCORD_COUNCIL_NAME,
    )


def export_checkpoint(checkpoint: Checkpoint) -> str:
    """The checkpoint as readable JSON with a `signature` over its other fields."""
    signed = _signer().sign(canonical_json(asdict(checkpoint)))
    signature = signed.rsplit(_signer().sep, 1)[1]
    return json.dumps({**asdict(checkpoint), "signature": signature}, indent=2) + "\n"


def load_checkpoint(text: str) -> Checkpoint:
    """Parse an exported checkpoint and check its signature; raise `CheckpointInvalid`."""
    try:
        document: Any = json.loads(text)
    except ValueError as error:
        raise CheckpointInvalid("The checkpoint file is not valid JSON.") from error
    if not isinstance(document, dict):
        raise CheckpointInvalid("The checkpoint file is not a checkpoint.")
    try:
        checkpoint = Checkpoint(
            seq=document["seq"],
            hash=document["hash"],
            time=document["time"],
            council=document["council"],
        )
        signature = document["signature"]
    except KeyError as error:
        raise CheckpointInvalid(f"The checkpoint has no {error.args[0]!r}.") from error
    if not (
        isinstance(checkpoint.seq, int)
        and not isinstance(checkpoint.seq, bool)
        and checkpoint.seq >= 0
        and isinstance(checkpoint.hash, str)
        and isinstance(checkpoint.time, str)
        and isinstance(checkpoint.council, str)
        and isinstance(signature, str)
    ):
        raise CheckpointInvalid("The checkpoint's fields have the wrong types.")
    signer = _signer()
    try:
        signer.unsign(canonical_json(asdict(checkpoint)) + signer.sep + signature)
    except signing.BadSignature as error:
        raise CheckpointInvalid(
            "The checkpoint's signature does not match: it was altered, "
            "or signed by another installation."
        ) from error
    return checkpoint


@dataclass(frozen=True)
class CheckpointCheck:
    checkpoint: Checkpoint
    chain: VerifyResult
    council_matches: bool

    @property
    def ok(self) -> bool:
        return self.chain.ok and self.council_matches

    def summary(self) -> str:
        if not self.council_matches:
            return (
                f"The checkpoint is for {self.checkpoint.council!r}, "
                f"not {settings.ACCORD_COUNCIL_NAME!r}."
            )
        if not self.chain.ok:
            return self.chain.summary()
        return (
            f"Checkpoint confirmed: event #{self.checkpoint.seq} still has hash "
            f"{self.checkpoint.hash}, and the chain is intact to #{self.chain.head_seq}."
        )


def check_checkpoint(text: str) -> CheckpointCheck:
    """Check a checkpoint's signature (raising `CheckpointInvalid`), then the whole chain
    against it."""
    checkpoint = load_checkpoint(text)
    council_matches = checkpoint.council == settings.ACCORD_COUNCIL_NAME
    chain = verify_stored(anchor=Anchor(seq=checkpoint.seq, hash=checkpoint.hash))
    return CheckpointCheck(checkpoint=checkpoint, chain=chain, council_matches=council_matches)
