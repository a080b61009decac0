"""Errors a user can act on. Each carries the exit code the CLI returns for it."""


class DDNSError(Exception):
    exit_code = 1

    def __init__(self, message):
        from ddns_min.compat import printable
        message = printable(message)  # provider text inside must not forge log lines
        super(DDNSError, self).__init__(message)
        self.message = message

    def __str__(self):
        return self.message


class ConfigError(DDNSError):
    """Bad settings: nothing was sent to any provider."""
    exit_code = 2


class AuthError(DDNSError):
    """The provider refused our credentials or permissions."""
    exit_code = 3


class APIError(DDNSError):
    """The provider answered, but not with success."""
    exit_code = 1


class RateLimited(APIError):
    def __init__(self, message, retry_after=None):
        super(RateLimited, self).__init__(message)
        self.retry_after = retry_after


class NetworkError(DDNSError):
    """No usable answer: connection, TLS, timeout, or a reply that is not what the API sends."""
    exit_code = 1


class DetectError(DDNSError):
    """No address of the wanted family could be found."""
    exit_code = 1


class RecordGone(APIError):
    """The record id we remembered no longer exists at the provider."""
