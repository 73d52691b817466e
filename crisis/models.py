# Incidents, public updates, briefings and compensation live here (see the crisis issue).
