using System.Collections.Immutable;

namespace LeaseActors.Judging;

/// <summary>
/// One lease break as an administrator would want to see it: when it started and must end, who held the lease,
/// who was told, who held pins, when the lease was released and the regions torn down, and the slack.
/// </summary>
/// <param name="Inode">The file (its path).</param>
/// <param name="Ofd">The leased open file description.</param>
/// <param name="ToUnlock">True for a writer's break (to F_UNLCK), false for a reader's (to F_RDLCK).</param>
/// <param name="StartMs">Virtual time the break started.</param>
/// <param name="DeadlineMs">Start + lease-break-time; null when lease-break-time is 0 (never).</param>
/// <param name="LeaseHolders">Processes holding the leased description when the break started.</param>
/// <param name="Notified">Processes the break signal reached (sent to; delivery may still be blocked or ignored).</param>
/// <param name="PinHolders">Processes holding pins on the file's blocks (RDMA).</param>
/// <param name="ReleasedMs">When the lease was released or downgraded; null if never.</param>
/// <param name="ReleasedBy">How: Holder, BreakTimeout, DowngradeTimeout, LastClose; null if never.</param>
/// <param name="RegionsTornDownMs">When the last region under it was torn down; null if none or never.</param>
/// <param name="SlackMs">Deadline minus the later of release and teardown (negative when late); null when either is unknown.</param>
public sealed record BreakRecord(
    string Inode, long Ofd, bool ToUnlock, double StartMs, double? DeadlineMs,
    ImmutableArray<string> LeaseHolders, ImmutableArray<string> Notified, ImmutableArray<string> PinHolders,
    double? ReleasedMs, string? ReleasedBy, double? RegionsTornDownMs, double? SlackMs)
{
    /// <summary>True while regions that pinned the file when the break started had not all been torn down when the run ended.</summary>
    public bool RegionsPending { get; init; }

    /// <summary>
    /// True when the timeout, not the holder, ended the break, or the deadline passed with the lease still breaking or
    /// its regions still registered, or the later of release and teardown came after the deadline.
    /// </summary>
    public bool IsLate(double endMs) =>
        ReleasedBy is "BreakTimeout" or "DowngradeTimeout"
        || ((ReleasedMs is null || RegionsPending) && DeadlineMs is { } d && d <= endMs)
        || SlackMs < 0;
}
