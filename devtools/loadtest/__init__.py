"""`make loadtest` (devtools/management/commands/loadtest.py): the production set-up on this
machine's loopback (gunicorn with uvicorn workers, the worker, PostgreSQL, Redis) under open chat
pages with their agents, lobby screens and status pages, once polling and once by push.

seed: the world, written straight to the database; servers: the processes; clients: the pages;
run: one mode, its phases and meters; measure: percentiles and CPU time; report: the table.
A development tool: production never installs devtools.
"""
