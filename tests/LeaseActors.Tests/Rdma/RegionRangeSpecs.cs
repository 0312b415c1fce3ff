namespace LeaseActors.Tests.Rdma;

/// <summary>
/// ibv_reg_mr over a range: an empty range is EINVAL (ib_umem_get), a long-term pin of pages past the end of the
/// mapped file is EFAULT (no page to pin); a range inside the file pins exactly its pages.
/// </summary>
public sealed class RegionRangeSpecs(KernelFixture fixture) : IClassFixture<KernelFixture>
{
    [Theory]
    [InlineData("offset = 0, length = 0", "EINVAL", 0)]
    [InlineData("offset = 1MiB", "EINVAL", 0)]
    [InlineData("offset = 2MiB, length = 4KiB", "EFAULT", 0)]
    [InlineData("offset = 0, length = 4MiB", "EFAULT", 0)]
    [InlineData("offset = 1020KiB, length = 8KiB", "EFAULT", 0)]
    [InlineData("offset = 1020KiB, length = 4KiB", null, 1)]
    [InlineData("offset = 6KiB, length = 4KiB", null, 2)]
    [InlineData("offset = 0, length = 1MiB", null, 256)]
    public void A_region_pins_exactly_the_pages_of_its_range_and_a_range_outside_the_file_is_refused(string range, string? errno, int blocks)
    {
        var report = fixture.RunText(RdmaSupport.DaxFile + $$"""

            processes.A.program = [
              { open = data, flags = [O_RDWR], as = f }
              { layout-lease = f }
              { mmap = f, as = m }
              { verbs-open = true, as = ctx }
              { reg-mr = m, context = ctx, as = mr, {{range}}, label = registered }
            ]
            """, "rfc-v1");

        Assert.Equal(errno, report.Step("A", "registered").Errno);
        Assert.Equal(blocks, report.Regions.Sum(r => r.Blocks));
    }
}
