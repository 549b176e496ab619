"""What the demo commands print: the directory summary and the sign-in accounts."""

from __future__ import annotations

from django.core.management.base import OutputWrapper

from accord.demo import data
from accord.demo.selectors import DemoAccount, demo_summary


def write_summary(out: OutputWrapper) -> None:
    out.write(f"{data.COUNCIL_NAME}")
    for label, count in demo_summary():
        out.write(f"  {label:<28}{count:>5}")


def write_accounts(out: OutputWrapper, accounts: list[DemoAccount]) -> None:
    width = max((len(a.username) for a in accounts), default=8)
    label_width = max((len(a.role) for a in accounts), default=4)
    out.write("")
    out.write(f"  {'Username':<{width}}  {'Role':<{label_width}}  Name")
    for account in accounts:
        flag = "  (two-factor set-up at first sign-in)" if account.two_factor else ""
        out.write(
            f"  {account.username:<{width}}  {account.role:<{label_width}}  {account.name}{flag}"
        )
    out.write("")
    out.write(f"  Password for every demo account: {data.DEMO_PASSWORD}")
