namespace LeaseActors.Monitors;

/// <summary>
/// A hazard of SEMANTICS.md §3.3 seen in a run (findings do not change the verdict; they explain it).
/// </summary>
/// <param name="Id">The hazard id: H2, H3, H4, H5, H9 (mainline) or H6–H8 (layout leases and pins).</param>
/// <param name="Time">Virtual time at which it was seen.</param>
/// <param name="Process">The process it concerns (who was, or was not, signalled), if any.</param>
/// <param name="Detail">One sentence a person can act on.</param>
public sealed record Finding(string Id, TimeSpan Time, string? Process, string Detail);
