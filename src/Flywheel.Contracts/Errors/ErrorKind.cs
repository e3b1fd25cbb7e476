namespace Flywheel.Contracts.Errors;

/// <summary>
/// Every failure Flywheel reports to a caller, by kind. Each host maps the kind to an HTTP status
/// once (RFC 9457 problem+json), so the domain never needs to know about HTTP and the two hosts
/// cannot answer the same failure differently.
/// </summary>
public enum ErrorKind
{
    /// <summary>The request is malformed or names something invalid (400).</summary>
    InvalidInput,

    /// <summary>The resource does not exist (404).</summary>
    NotFound,

    /// <summary>The request contradicts the current state (409).</summary>
    Conflict,

    /// <summary>The request is larger than a configured limit (413).</summary>
    TooLarge,

    /// <summary>Well-formed, but its content cannot be used: a model that cannot run, lineage to unknown data (422).</summary>
    Unprocessable,

    /// <summary>The request did not arrive in time: its body came slower than the server's minimum data rate (408).</summary>
    RequestTimeout,

    /// <summary>The request was fine; Flywheel cannot represent the answer (501).</summary>
    NotImplemented,

    /// <summary>A dependency (storage, the orchestration engine) is unreachable; retrying later can succeed (503).</summary>
    Unavailable,
}
