"""Domain errors: raised by services, turned into form errors or 4xx pages by views."""


class DomainError(Exception):
    """A rule of the product said no. The message is shown to the person as it is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class SlotUnavailable(DomainError):
    """The chosen time is not (or no longer) open."""


class InvalidTransition(DomainError):
    """The booking cannot move to that state from where it is."""


class PolicyViolation(DomainError):
    """The cancellation, rescheduling or free-session policy does not allow it."""


class NotAllowed(DomainError):
    """This person may not do that to this booking."""


class TwoFactorRequired(DomainError):
    """Staff and interviewers reach candidates' materials only with two-factor authentication."""


class RequestNotConfirmed(PolicyViolation):
    """Staff may act on an account for a privacy request only once its owner confirmed it."""
