using System.Globalization;
using System.Net;

namespace LeaseActors.Cli.Pictures;

/// <summary>What the self-contained pages share: escaping, number formatting, the style sheet and the hover script.</summary>
internal static class Html
{
    public static string E(string s) => WebUtility.HtmlEncode(s);

    public static string N(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>A page with everything inline: no fonts, scripts or pictures from the network, so it works from a file.</summary>
    public static string Page(string title, string body) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{E(title)}}</title>
        <style>
        {{Style}}
        </style>
        </head>
        <body>
        {{body}}
        <div id="tip" role="tooltip" hidden></div>
        <script>
        {{Script}}
        </script>
        </body>
        </html>

        """;

    private const string Style = """
        body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 16px 24px; color: #1d232b; background: #fff; }
        h1 { font-size: 20px; margin: 0 0 6px; } h2 { font-size: 16px; margin: 22px 0 6px; }
        .meta { color: #555; margin-bottom: 6px; }
        .verdict { display: inline-block; padding: 1px 10px; border-radius: 10px; font-weight: 600; color: #fff; background: #2e7d32; }
        .verdict-late, .verdict-violation, .verdict-corruption, .verdict-hang { background: #c62828; }
        .verdict-refused, .verdict-killed { background: #ef6c00; }
        .slack { font-weight: 600; margin-left: 10px; } .slack.neg { color: #c62828; }
        ul.headlines { margin: 8px 0 10px; padding-left: 20px; font-size: 16px; } ul.headlines li { margin: 2px 0; }
        svg text { font: 12px system-ui, sans-serif; fill: #1d232b; }
        svg .lane-name { font-weight: 600; } svg .lane-kernel { fill: #555; font-weight: 400; }
        svg .tick { fill: #666; font-size: 11px; }
        svg .bar-label { fill: #fff; font-weight: 600; pointer-events: none; }
        svg .note { font-weight: 700; }
        [data-detail] { cursor: pointer; } [data-detail]:hover { opacity: .8; }
        #tip { position: fixed; max-width: 460px; background: #1d232b; color: #fff; padding: 6px 9px; border-radius: 4px; font-size: 13px; pointer-events: none; z-index: 10; }
        #legend { display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 8px 0; padding: 0; list-style: none; font-size: 13px; }
        #legend svg { vertical-align: middle; margin-right: 4px; }
        table { border-collapse: collapse; margin: 6px 0; } td, th { border: 1px solid #ddd; padding: 3px 8px; text-align: left; } th { background: #f4f4f4; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        pre, code { font: 12px ui-monospace, "DejaVu Sans Mono", monospace; } pre { background: #f6f8fa; padding: 8px; overflow-x: auto; }
        .chart { margin: 4px 0 10px; }
        """;

    private const string Script = """
        (function () {
          var tip = document.getElementById('tip');
          function show(ev) {
            var el = ev.target.closest('[data-detail]');
            if (!el) { tip.hidden = true; return; }
            tip.textContent = el.getAttribute('data-detail');
            tip.hidden = false;
            var x = Math.min(ev.clientX + 14, window.innerWidth - tip.offsetWidth - 8);
            tip.style.left = x + 'px';
            tip.style.top = (ev.clientY + 14) + 'px';
          }
          document.addEventListener('mousemove', show);
          document.addEventListener('mouseleave', function () { tip.hidden = true; });
        })();
        """;
}
