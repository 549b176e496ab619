"""Models that hold confidential records declare it here, on the class.

A confidential model is read and written only by its own app's selectors and services, which
scope every read to the person asking; `accord.tests.test_confidential_reads` finds every such
model through Django's app registry and scans the whole code base for any other use of its
manager, so a new model is guarded the moment it is declared.
"""

from __future__ import annotations

from typing import TypeVar

from django.apps import apps
from django.db import models

CONFIDENTIAL_ATTR = "accord_confidential"

ModelClass = TypeVar("ModelClass", bound=type[models.Model])


def confidential(model: ModelClass) -> ModelClass:
    """Declare `model` confidential: only its app's selectors and services may query it."""
    setattr(model, CONFIDENTIAL_ATTR, True)
    return model


def is_confidential(model: type[models.Model]) -> bool:
    return bool(model.__dict__.get(CONFIDENTIAL_ATTR, False))


def confidential_models() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if is_confidential(model)]
