"""The queue: the line of tickets waiting for an agent, and what we tell about the wait.

The order itself is defined once, in helpdesk.models.queue_place. Here: `line` asks the
database questions in that order (a ticket's position, take-next, the SLA band scan, which
queues an agent serves or a manager oversees); `figures` counts per queue for the queue page
and the managers' overview; `estimates` turns position and pace into an expected first answer;
`expectations` puts that time into words for the customer.
"""
