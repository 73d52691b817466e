"""Folding text for comparison: lower case without accents, the same in Python and in SQL.

"Áramszünet" and "aramszunet", "zapłata" and "zaplata" fold to the same text, so a visitor or an
agent finds a word typed with or without its accents. `fold` does it in Python; `Fold` does it in
the database: NORMALIZE and TRANSLATE on PostgreSQL (a UTF8 database), with the table written
into the SQL so that the trigram indexes on folded text (migration 0043) match the query's
expression, and on SQLite (which has neither) the same Python `fold`, registered on each
connection as the SQL function `fold` (see HelpdeskConfig.ready). The folded columns the
database keeps (Ticket.folded_subject, Customer.search_text; migration 0045) are `Fold` too: a
change to the table needs a migration re-creating them and 0043's message index.
"""

from __future__ import annotations

import unicodedata

from django.db.models import Func, TextField

# Letters Unicode does not decompose into a base letter and accents.
_UNDECOMPOSED = {"ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ø": "o", "Ø": "o", "ħ": "h", "Ħ": "h", "ı": "i"}


def _plain(letter: str) -> str | None:
    if letter in _UNDECOMPOSED:
        return _UNDECOMPOSED[letter]
    decomposed = unicodedata.normalize("NFD", letter)
    base = decomposed[0]
    if len(decomposed) > 1 and base.isascii() and base.isalpha():
        return base.lower()
    return None


# Every accented Latin letter of Latin-1 and Latin Extended-A and -B (Hungarian, Polish, Czech,
# the rest of Europe) decomposes into its base letter and one or more of these marks.
_LETTERS = [chr(code) for code in range(0xC0, 0x250) if _plain(chr(code))]
MARKS = "".join(sorted({mark for letter in _LETTERS for mark in unicodedata.normalize("NFD", letter)[1:]}))
UNDECOMPOSED = "".join(_UNDECOMPOSED)
# TRANSLATE's table: the undecomposed letters to their plain ones, the marks to nothing.
FROM, TO = UNDECOMPOSED + MARKS, "".join(_UNDECOMPOSED.values())
_TABLE = str.maketrans(UNDECOMPOSED, TO, MARKS)
SQL_FUNCTION = "fold"
# Written into the SQL as literals: letters and marks only, nothing that needs quoting.
assert not set("'\\%") & set(FROM + TO)


def fold(text: str | None) -> str:
    """Lower case without accents, as `Fold` does in the database.

    The text is decomposed (NFD: "á" becomes "a" and its accent), the accents of Latin letters
    are dropped and the few letters Unicode does not decompose are replaced ("ł" by "l").
    PostgreSQL does the same with NORMALIZE and a TRANSLATE of 26 characters: a TRANSLATE of
    every precomposed letter (253 of them) took 45 µs a row, 17 times LOWER's time, and the
    search checks several columns of every candidate request.
    """
    return unicodedata.normalize("NFD", text or "").translate(_TABLE).lower()


def fold_in_sql(text: str | None) -> str | None:
    """`fold` as the SQLite function: NULL stays NULL, as in SQL."""
    return None if text is None else fold(text)


def register_on_sqlite(sender, connection, **kwargs) -> None:
    """Give a new SQLite connection the `fold` function (connected to connection_created)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQL_FUNCTION, 1, fold_in_sql, deterministic=True)


class Fold(Func):
    """`fold` in SQL: LOWER(TRANSLATE(NORMALIZE(...))) on PostgreSQL, the registered function
    on SQLite.

    On PostgreSQL the table is written in rather than bound: an index on the folded text serves
    only a query whose expression is the index's own, and a bound parameter is not (a prepared
    statement's generic plan could never use the index).
    """

    output_field = TextField()

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"LOWER(TRANSLATE(NORMALIZE({sql}, NFD), '{FROM}', '{TO}'))", params

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"{SQL_FUNCTION}({sql})", params
