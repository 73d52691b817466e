"""Recurring complaints: complaints grouped into themes, and themes raised to management.

`complaints` is what the worker does with each complaint; `grouping` is the method (pure
Python) and `store` its tables; `replies` sends one reviewed answer to every open request of a
theme; `summary` is what other pages show of themes; `forms` are the managers' forms. The
quality evaluation of the grouping is feedback.theme_eval.
"""
