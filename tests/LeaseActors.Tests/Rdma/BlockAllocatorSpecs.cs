using LeaseActors.Judging;

namespace LeaseActors.Tests.Rdma;

/// <summary>The kernel's free list: blocks a truncate frees go to the next FS-DAX file that grows.</summary>
public sealed class BlockAllocatorSpecs(KernelFixture fixture) : IClassFixture<KernelFixture>
{
    private const string Data = "/mnt/pmem/data";
    private const string Other = "/mnt/pmem/other";

    [Theory]
    [InlineData("mainline")]
    [InlineData("rfc-v1")]
    [InlineData("wait-forever")]
    public void Blocks_freed_by_a_truncate_are_handed_to_the_next_DAX_file_that_grows(string policy)
    {
        var report = fixture.RunText(RdmaSupport.DaxFile + """

            files.other { path = /mnt/pmem/other, size = 0, dax = true }
            processes.B.program = [
              { truncate = data, length = 0, label = truncate }
              { open = other, flags = [O_RDWR], as = o }
              { write = o, bytes = 64KiB, label = grown }
            ]
            """, policy);

        Assert.Null(report.Step("B", "truncate").Errno);
        Assert.Equal(65_536, report.Step("B", "grown").Value);
        var freed = report.BlocksOf("blocks.freed", Data);
        var allocated = report.BlocksOf("blocks.allocated", Other);
        Assert.Equal(256, freed.Length);
        Assert.Equal(16, allocated.Length);
        Assert.Subset(freed.ToHashSet(), allocated.ToHashSet());
        Assert.Equal(Verdict.Clean, report.Verdict);
    }

    [Fact]
    public void Files_created_at_the_start_get_disjoint_blocks()
    {
        var report = fixture.RunText(RdmaSupport.DaxFile + """

            files.other { path = /mnt/pmem/other, size = 64KiB, dax = true }
            processes.A.program = [ { sleep = 1s } ]
            """, "mainline");

        var data = report.BlocksOf("blocks.allocated", Data);
        var other = report.BlocksOf("blocks.allocated", Other);
        Assert.Equal((256, 16), (data.Length, other.Length));
        Assert.Empty(data.Intersect(other));
    }

    [Fact]
    public void A_freed_block_reused_by_another_file_while_a_region_still_covers_it_is_corruption()
    {
        var report = fixture.RunText(RdmaSupport.DaxFile + """

            sysctl.lease-break-time = 45s
            files.other { path = /mnt/pmem/other, size = 0, dax = true }
            processes {
              A.program = [
                { open = data, flags = [O_RDWR], as = f }
                { layout-lease = f }
                { mmap = f, as = m }
                { verbs-open = true, as = ctx }
                { reg-mr = m, context = ctx, as = mr, offset = 0, length = 8KiB, label = registered }
                { sleep = 10m }
              ]
              A.handlers.SIGIO = {}
              B.program = [
                { wait-for = A.registered }
                { truncate = data, length = 0, label = truncate }
                { open = other, flags = [O_RDWR], as = o }
                { write = o, bytes = 1MiB, label = grown }
              ]
            }
            """, "trust-lease");

        var region = Assert.Single(report.Regions);
        Assert.Equal(2, region.Blocks);
        var pinned = report.Events("region.registered").Single().Event["blocks"] as IEnumerable<long>;
        Assert.NotNull(pinned);
        var reused = report.BlocksOf("blocks.allocated", Other).Intersect(pinned).ToArray();
        Assert.Equal(2, reused.Length);
        Assert.Equal(Verdict.Corruption, report.Verdict);
        Assert.NotNull(region.FreedUnderMs);
        Assert.True(report.Step("B", "grown").At.TotalMilliseconds >= region.FreedUnderMs);
    }

    [Fact]
    public void A_truncate_that_waits_for_the_pins_hands_no_pinned_block_to_another_file_before_the_region_goes()
    {
        var report = fixture.RunText(RdmaSupport.DaxFile + """

            files.other { path = /mnt/pmem/other, size = 0, dax = true }
            processes {
              A.program = [
                { open = data, flags = [O_RDWR], as = f }
                { mmap = f, as = m }
                { verbs-open = true, as = ctx }
                { reg-mr = m, context = ctx, as = mr, label = registered }
                { sleep = 1m }
                { dereg-mr = mr, label = deregistered }
              ]
              B.program = [
                { wait-for = A.registered }
                { truncate = data, length = 0, label = truncate }
                { open = other, flags = [O_RDWR], as = o }
                { write = o, bytes = 1MiB, label = grown }
              ]
            }
            """, "wait-forever");

        var freedAt = Assert.Single(report.Events("blocks.freed")).Time;
        Assert.Equal(report.Step("A", "deregistered").At, freedAt);
        Assert.Equal(256, report.BlocksOf("blocks.allocated", Other).Length);
        Assert.All(report.Regions, r => Assert.Null(r.FreedUnderMs));
        Assert.NotEqual(Verdict.Corruption, report.Verdict);
    }

    [Fact]
    public void A_punched_hole_frees_only_the_whole_pages_inside_it_and_the_size_stays()
    {
        var report = fixture.RunText(RdmaSupport.DaxFile + """

            processes.A.program = [
              { open = data, flags = [O_RDWR], as = f }
              { punch-hole = f, offset = 2KiB, length = 16KiB, label = punched }
              { stat = data, label = stat }
            ]
            """, "mainline");

        Assert.Null(report.Step("A", "punched").Errno);
        var allocated = report.BlocksOf("blocks.allocated", Data);
        // [2 KiB, 18 KiB) holds whole pages 1..3 only.
        Assert.Equal(allocated[1..4], report.BlocksOf("blocks.freed", Data));
        Assert.Equal(1_048_576, report.Step("A", "stat").Value);
    }
}
