using LeaseActors.Judging;

namespace StorageServer;

/// <summary>
/// One line per policy on what its outcome here means for the 2019 debate (docs/policies.md explains each policy;
/// these lines explain this application under it). A line is chosen by the policy and its worst verdict, so a run
/// with other arguments (a slow handler, client leases) gets the line for what actually happened.
/// </summary>
internal static class Debate
{
    /// <summary>The line for <paramref name="policy"/> when its worst verdict was <paramref name="worst"/>.</summary>
    public static string Meaning(string policy, Verdict worst) => (policy, worst) switch
    {
        ("mainline", Verdict.Refused) => "today's kernel refuses the long-term pin of FS-DAX (EOPNOTSUPP): safe, but this server cannot offer RDMA on the file at all",
        ("rfc-v1", Verdict.Clean) => "safe only because this server forwards the break and waits for every client before unlocking: the kernel tells the server alone and checks nothing per client",
        ("rfc-v1", Verdict.Refused) => "the server let its lease go before every client had deregistered, and the truncate failed ETXTBSY: safe, but maintenance did not happen",
        ("rfc-v1", Verdict.Late) => "the lease timed out before the clients' pins were gone and the truncate failed ETXTBSY: safe for the data, but the break was missed",
        ("rfc-v2", Verdict.Refused) => "the exclusive lease is never broken: every truncate fails ETXTBSY and nobody is told, so maintenance cannot run while a client holds a context",
        ("lease-per-holder", Verdict.Violation) => "the clients hold pins they received without a layout lease of their own: Chinner's rule is broken by this application (--client-leases keeps it)",
        ("lease-per-holder", Verdict.Clean) => "every holder of pins holds its own lease and hears its own break: Chinner's rule holds and the truncate waits only for the pins",
        ("lease-per-holder", Verdict.Late) => "every holder has its own lease, but a teardown came after the deadline: the rule gives the signal to the right process, not the time to act on it",
        ("mr-holds-lease", Verdict.Late) => "the break reaches the clients (the contexts' holders), which tear down in time, but the server that took the lease is never told: the lease ends only by its timeout, so every truncate waits the full lease-break-time",
        ("mr-holds-lease", Verdict.Clean) => "the break reaches whoever holds each region, and every lease was released in time: Gunthorpe's design routes the signal to the pins",
        ("deny-pass", Verdict.Refused) => "passing a context that carries regions fails EBUSY: safe, but a storage server cannot hand RDMA contexts to its clients at all",
        ("block-close", Verdict.Violation) => "as lease-per-holder, the clients hold pins without their own lease (--client-leases keeps the rule); block-close adds only a wait at the last close",
        ("block-close", Verdict.Clean) => "as lease-per-holder with every holder leased; no last close ever met pins, so block-close changed nothing here",
        ("block-close", Verdict.Hang) => "a last close blocked on pins that nobody could release: Jan Kara's close-order objection (H8)",
        ("revoke-kill", Verdict.Clean) => "the server answered in time, so nobody was killed; SIGKILL is only the last resort of a late answer (try --handler-time 60s)",
        ("revoke-kill", Verdict.Killed) => "the server missed the deadline and was SIGKILLed: its lease went with it and the pins with the clients' late teardown, and the service is gone",
        ("odp", Verdict.Clean) => "on-demand paging pins nothing: the truncate invalidates the device mapping and proceeds, with no lease and no signal needed",
        ("wait-forever", Verdict.Hang) => "no lease, so nobody is told, and the truncate waits for pins the clients never drop: the hang Dan Williams warned of",
        ("wait-forever", Verdict.Late) => "no lease, so nobody is told: the truncate waited past its deadline for pins that went only when their holders did",
        ("trust-lease", Verdict.Clean) => "safe only because the server releases its lease after its clients have torn down; a late answer frees blocks under live regions (try --handler-time 60s)",
        ("trust-lease", Verdict.Corruption) => "the blocks were freed as soon as the lease went, while clients' regions still wrote into them: the corruption the debate warned against",
        (_, Verdict.Corruption) => "blocks were freed under registered regions: data corruption",
        (_, Verdict.Hang) => "a truncate (or a close) was still waiting when the run ended: the system hung",
        (_, Verdict.Violation) => "the policy's own rule was broken by this application",
        (_, Verdict.Killed) => "the policy killed a process to get the pins back: safe, at the cost of that process's work",
        (_, Verdict.Late) => "a break or a truncate missed its deadline",
        (_, Verdict.Refused) => "something was refused with an errno: safe, but the service was unavailable",
        _ => "every break was answered and every region gone before its deadline",
    };
}
