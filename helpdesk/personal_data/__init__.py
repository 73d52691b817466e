"""Personal data: what is kept and for how long, who looked at it, and what customers asked for."""
