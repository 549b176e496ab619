"""Reviewing a protocol: from opening a review to the amended version coming into force.

The protocol is to be kept under review and changes considered under the council's constitution
(000 §52); each statutory officer keeps it under review and brings forward amendments through
the governance committee (000 SO §9.1-9.2). 003 is what that looks like on paper: the
Monitoring Officer's report asking the Standards Committee to consider a revised protocol and
recommend it to Full Council, which alone approves it.

- `workflow`: the stages and the moves between them (`TRANSITIONS`), and what may happen next;
- `report`: the draft report to the Standards Committee, written from the review;
- `accord.library.services.reviews`: the steps (open, propose, record the committee's and Full
  Council's decisions, close, change the report);
- `accord.library.selectors.reviews`: reading reviews.

Reviews are for the library's keepers alone (`keeps_library`): to anyone else they do not
exist.
"""
