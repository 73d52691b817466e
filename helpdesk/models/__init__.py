from helpdesk.models.staff import StaffProfile
from helpdesk.models.worker import WorkerHeartbeat

__all__ = ["StaffProfile", "WorkerHeartbeat"]
