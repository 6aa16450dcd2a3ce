"""Data rights (RGPD): see, export and erase a person's data; purge what is too old.

- :mod:`.inventory`: everything held about one contact, gathered in one place;
- :mod:`.summary`: "qu'est-ce que vous savez sur moi", in plain French (pure);
- :mod:`.export`: the same, complete, as JSON for an agent;
- :mod:`.erasure`: "supprimez mes données", after a confirmation;
- :mod:`.retention`: the daily purge of what is past its retention period.

The conversation history itself is read and deleted through :mod:`seniorplus.history`.
What is kept, what is erased and why: docs/data-rights.md.
"""

from seniorplus.data_rights.erasure import ErasureReport, erase_person
from seniorplus.data_rights.export import export_person
from seniorplus.data_rights.inventory import PersonData, collect, conversation_ids
from seniorplus.data_rights.retention import PurgeReport, purge_expired
from seniorplus.data_rights.summary import summary_text
from seniorplus.settings import DataRightsSettings

__all__ = [
    "DataRightsSettings",
    "ErasureReport",
    "PersonData",
    "PurgeReport",
    "collect",
    "conversation_ids",
    "erase_person",
    "export_person",
    "purge_expired",
    "summary_text",
]
