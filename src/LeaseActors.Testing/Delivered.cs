namespace LeaseActors.Testing;

/// <summary>A signal as the receiving process saw it: what it was, what the process did with it, and its siginfo.</summary>
/// <param name="Signal">Its name (<c>SIGIO</c>, <c>SIGRTMIN+1</c>).</param>
/// <param name="Action">What the process did: <c>handled</c>, <c>default</c>, <c>ignored</c>, or <c>lost: …</c>.</param>
/// <param name="Code"><c>si_code</c>.</param>
/// <param name="Fd"><c>si_fd</c>.</param>
/// <param name="Band"><c>si_band</c>.</param>
/// <param name="At">When it was delivered (virtual time).</param>
public sealed record Delivered(string Signal, string Action, long Code, long Fd, long Band, TimeSpan At);
