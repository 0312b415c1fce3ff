using LeaseActors.Leases;
using LeaseActors.Processes;
using LeaseActors.Signals;
using static LeaseActors.OpenFlags;
using static LeaseActors.Tests.Kernel.SpecSupport;

namespace LeaseActors.Tests.Kernel;

/// <summary>SEMANTICS.md §1.4: which operations call <c>break_lease</c> (and which only <c>break_deleg</c>, or nothing).</summary>
public sealed class WhatBreaksSpecs(KernelFixture fixture) : IClassFixture<KernelFixture>
{
    [Fact]
    public void The_holders_own_blocking_open_breaks_its_lease_and_a_restarting_handler_that_answers_lets_it_through()
    {
        // O_RDONLY against its own write lease: the handler downgrades, the open restarts (SA_RESTART) and succeeds.
        var reader = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, ScenarioBuilder.Handles(Sig.SIGIO, TimeSpan.FromMilliseconds(5), true, S.Lease("f", LeaseType.F_RDLCK)),
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_WRLCK, "lease"),
                S.Open("/data", O_RDONLY, "g", "self-open"),
                S.GetLease("f", "after"))
            .Build());

        Assert.Equal(TimeSpan.FromMilliseconds(5), reader.Took("A", "self-open"));
        Assert.Equal([("SIGIO", "handler", (long)Sig.SI_KERNEL, 0L)], reader.Signals("A"));
        Assert.Equal([true], reader.Events("syscall.interrupted").Select(e => (bool)e.Event["restart"]!));
        reader.Returns("A", "after", RD);

        // O_WRONLY against its own read lease: the handler unlocks.
        var writer = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, ScenarioBuilder.Handles(Sig.SIGIO, TimeSpan.FromMilliseconds(5), true, S.Lease("f", LeaseType.F_UNLCK)),
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Open("/data", O_WRONLY, "g", "self-open"),
                S.GetLease("f", "after"))
            .Build());

        Assert.Equal(TimeSpan.FromMilliseconds(5), writer.Took("A", "self-open"));
        Assert.Single(writer.Signals("A"));
        writer.Returns("A", "after", UNLCK);
    }

    [Fact]
    public void Open_O_RDONLY_O_TRUNC_does_not_break_a_read_lease_and_truncates_the_file_under_it()
    {
        var run = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, CatchesSigio,
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.WaitFor("B", "after"),
                S.GetLease("f", "still"))
            .Process("B",
                S.WaitFor("A", "lease"),
                S.Do(new Stat("/data"), "before"),
                S.Open("/data", O_RDONLY | O_TRUNC, "t", "truncating-open"),
                S.Do(new Stat("/data"), "after"))
            .Build());

        run.Returns("B", "before", 4096);
        Assert.Equal(TimeSpan.Zero, run.Took("B", "truncating-open"));
        run.Returns("B", "after", 0);
        Assert.Empty(run.Signals("A"));
        Assert.Empty(run.Events("lease.break"));
        run.Returns("A", "still", RD);
    }

    [Fact]
    public void Truncate_by_path_breaks_a_write_lease_as_a_writer_and_truncates_only_after_the_release()
    {
        var run = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, CatchesSigio,
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_WRLCK, "lease"),
                S.Sleep(Sec(3)),
                S.GetLease("f", "target"),
                S.Lease("f", LeaseType.F_UNLCK, "release"),
                S.Sleep(Sec(1)))
            .Process("B",
                S.Sleep(Sec(1)),
                S.Do(new Truncate("/data", 100), "truncate"),
                S.Do(new Stat("/data"), "after"))
            .Process("C",
                S.Sleep(Sec(2)),
                S.Do(new Stat("/data"), "during"))
            .Build());

        Assert.Equal(Sec(2), run.Took("B", "truncate"));
        run.Returns("A", "target", UNLCK); // a writer's break: unlock, not downgrade
        run.Returns("C", "during", 4096);
        run.Returns("B", "after", 100);
        Assert.Single(run.Signals("A"));
    }

    [Fact]
    public void Write_and_ftruncate_through_an_existing_description_do_not_break_even_from_another_process_sharing_it()
    {
        var run = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, CatchesSigio,
                S.Open("/data", O_RDWR, "f"),
                S.Lease("f", LeaseType.F_WRLCK, "lease"),
                S.Do(new Fork("K", Program.Of(
                    S.Do(new Write("f", 10), "write"),
                    S.Do(new Ftruncate("f", 10), "ftruncate")))),
                S.WaitFor("K", "ftruncate"),
                S.Do(new Write("f", 10), "own-write"),
                S.Do(new Ftruncate("f", 20), "own-ftruncate"),
                S.GetLease("f", "still"),
                S.Do(new Stat("/data"), "size"))
            .Build());

        Assert.Equal(TimeSpan.Zero, run.Took("K", "write"));
        Assert.Equal(TimeSpan.Zero, run.Took("K", "ftruncate"));
        Assert.Equal(TimeSpan.Zero, run.Took("A", "own-write"));
        Assert.Equal(TimeSpan.Zero, run.Took("A", "own-ftruncate"));
        run.Returns("A", "still", WR);
        run.Returns("A", "size", 20);
        Assert.Empty(run.Signals("A"));
        Assert.Empty(run.Events("lease.break"));
    }

    [Fact]
    public void Chown_and_the_namespace_operations_do_not_break_fcntl_leases()
    {
        // Against a read lease, which any writer-like breaker would break (break_deleg passes O_WRONLY) ...
        var read = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, CatchesSigio,
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.WaitFor("B", "unlink"),
                S.GetLease("f", "still"),
                S.Label("checked"),
                S.Sleep(Sec(5)))
            .Process("B",
                S.WaitFor("A", "lease"),
                S.Do(new Chown("/data", 1000), "chown"),
                S.Do(new Chmod("/data", 0x180), "chmod"),
                S.Do(new Utimensat("/data"), "utimensat"),
                S.Do(new Link("/data", "/hard"), "link"),
                S.Do(new Rename("/data", "/renamed"), "rename"),
                S.Do(new Unlink("/hard"), "unlink"),
                S.WaitFor("A", "checked"),
                // The lease is intact and still breakable through the new name.
                S.Open("/renamed", O_WRONLY | O_NONBLOCK, "w", "probe"))
            .Build());

        foreach (var op in new[] { "chown", "chmod", "utimensat", "link", "rename", "unlink" })
            Assert.Equal(TimeSpan.Zero, read.Took("B", op));
        read.Returns("A", "still", RD);
        read.Fails("B", "probe", ErrnoAliases.EWOULDBLOCK);
        Assert.Single(read.Signals("A"));           // from the probe only
        Assert.Single(read.Events("lease.break"));

        // ... and chown (source-only in SEMANTICS) against a write lease.
        var write = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, CatchesSigio,
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_WRLCK, "lease"),
                S.WaitFor("B", "chown"),
                S.GetLease("f", "still"))
            .Process("B",
                S.WaitFor("A", "lease"),
                S.Do(new Chown("/data", 1000), "chown"))
            .Build());

        Assert.Equal(TimeSpan.Zero, write.Took("B", "chown"));
        write.Returns("A", "still", WR);
        Assert.Empty(write.Signals("A"));
    }
}
