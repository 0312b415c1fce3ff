using LeaseActors.Files;

namespace LeaseActors.Tests.Files;

/// <summary>The page → block map as extents gives what a per-page list would.</summary>
public sealed class BlockMapTests
{
    [Fact]
    public void Punch_truncate_and_growth_match_a_per_page_list()
    {
        var random = new Random(7);
        for (var round = 0; round < 300; round++)
        {
            var map = new BlockMap();
            var pages = new List<long>();
            var next = 1L;
            for (var op = 0; op < 12; op++)
            {
                switch (random.Next(4))
                {
                    case 0:
                        var n = random.Next(1, 9);
                        // Sometimes a fresh run, sometimes blocks out of order (as a free list hands them back).
                        var blocks = Enumerable.Range(0, n).Select(i => random.Next(3) == 0 ? 100 + random.Next(50) : next + i).Distinct().ToList();
                        next += n;
                        map.Append(BlockSet.Of(blocks));
                        pages.AddRange(blocks);
                        break;
                    case 1:
                        var holes = random.Next(1, 4);
                        map.AppendHoles(holes);
                        pages.AddRange(Enumerable.Repeat(-1L, holes));
                        break;
                    case 2:
                        var first = random.Next(0, pages.Count + 2);
                        var end = first + random.Next(0, 6);
                        map.Punch(first, end);
                        for (var p = first; p < Math.Min(end, pages.Count); p++) pages[p] = -1;
                        break;
                    default:
                        var keep = random.Next(0, pages.Count + 2);
                        map.TruncateTo(keep);
                        if (keep < pages.Count) pages.RemoveRange(keep, pages.Count - keep);
                        break;
                }
                Assert.Equal(pages.Count, map.Pages);
                var a = random.Next(-1, pages.Count + 1);
                var b = random.Next(a, pages.Count + 3);
                var expected = BlockSet.Of(pages.Skip(Math.Max(0, a)).Take(Math.Max(0, Math.Min(b, pages.Count) - Math.Max(0, a))).Where(x => x != -1));
                Assert.Equal(expected, map.Range(a, b));
            }
        }
    }
}
