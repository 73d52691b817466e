"""Where another app plugs into crisis (the feedback app does), the same way as helpdesk.hooks.

- INCIDENT_RESOLVED: listener(incident, tickets), after commit, once an incident is resolved and
  its linked requests settled (feedback asks the affected customers how it was handled).
- REPORT_SECTIONS: (key, section function) for the post-incident report; adds a section, or
  replaces ours of that key (feedback supplies "satisfaction").

Crisis never imports the apps that fill them.
"""

from helpdesk.hooks import Hook

INCIDENT_RESOLVED = Hook("incident resolved")
REPORT_SECTIONS = Hook("post-incident report sections")
