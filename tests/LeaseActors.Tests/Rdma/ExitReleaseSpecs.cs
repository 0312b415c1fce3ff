using LeaseActors.Judging;

namespace LeaseActors.Tests.Rdma;

/// <summary>
/// Exit under block-close: exit_files drops every fd's reference, and only final releases (__fput, deferred to task
/// work) run one after another. A held final release must therefore not keep the exiting process from dropping its
/// other, non-final references — here its reference to a verbs context that another process also holds.
/// </summary>
public sealed class ExitReleaseSpecs(KernelFixture fixture) : IClassFixture<KernelFixture>
{
    private const string PassedThenExit = RdmaSupport.DaxFile + """

        sockets.ab = [A, B]
        processes {
          A.program = [
            { open = data, flags = [O_RDWR], as = f }
            { layout-lease = f }
            { mmap = f, as = m }
            { verbs-open = true, as = ctx }
            { reg-mr = m, context = ctx, as = mr, label = registered }
            { sendmsg = ab, fds = [ctx] }
            { exit = 0 }
          ]
          B.program = [ { recvmsg = ab, fds = [ctx] }, { sleep = 1m } ]
        }
        """;

    [Theory]
    [InlineData(0UL)]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    [InlineData(4UL)]
    [InlineData(5UL)]
    public void A_held_close_at_exit_does_not_keep_the_process_from_dropping_its_reference_to_a_shared_verbs_context(ulong seed)
    {
        var report = fixture.RunText(PassedThenExit, "block-close", seed);

        var exited = report.Events("process.exited").Where(e => (string?)e.Event["process"] == "A").ToList();
        Assert.True(exited.Count == 1, $"seed {seed}: A never finished exiting: {report.Dump()}");
        Assert.Equal(TimeSpan.FromMinutes(1), exited[0].Time);
        Assert.Empty(report.Blocked);
        Assert.NotEqual(Verdict.Hang, report.Verdict);
    }

    [Theory]
    [InlineData(3UL)]
    [InlineData(5UL)]
    public void When_the_context_happens_to_close_before_the_leased_fd_the_held_close_returns_once_the_other_holder_exits(ulong seed)
    {
        var report = fixture.RunText(PassedThenExit, "block-close", seed);

        var exited = Assert.Single(report.Events("process.exited"), e => (string?)e.Event["process"] == "A");
        Assert.Equal(TimeSpan.FromMinutes(1), exited.Time);
        Assert.Single(report.Events("close.unblocked"));
    }
}
