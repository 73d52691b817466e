"""Recurring complaints: complaints grouped into themes, and themes raised to management.

`complaints` is what the worker does with each complaint; `grouping` is the method (pure
Python) and `store` its tables; `replies` sends one reviewed answer to every open request of a
theme; `consolidation` merges themes that became one problem (or proposes it to a manager);
`separation` moves complaints out of a theme; `explanation` says why a theme's complaints are
together; `summary` is what other pages show of themes; `forms` are the managers' forms. The
quality evaluation of the grouping is feedback.theme_eval.
"""
