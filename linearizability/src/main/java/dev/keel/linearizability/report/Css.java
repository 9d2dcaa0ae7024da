package dev.keel.linearizability.report;

/** The report's style sheet, inline so the page needs nothing from the network. */
final class Css {
    static final String STYLE = String.join("\n",
            "body { font-family: system-ui, sans-serif; margin: 1.5em; color: #222; }",
            "h1 { color: #b00020; margin-bottom: 0.2em; }",
            ".summary { max-width: 70em; }",
            "svg { border: 1px solid #ccc; background: #fafafa; }",
            ".lane { fill: #f0f0f0; } .lanelabel { font-size: 12px; fill: #444; }",
            ".bar { stroke: #333; stroke-width: 0.5; } .bartext { font-size: 10px; fill: #111; pointer-events: none; }",
            ".linearized { fill: #9fd89f; } .window { fill: #ffb74d; } .blocked { fill: #e57373; stroke: #b00020;"
                    + " stroke-width: 2; }",
            ".other { fill: #90caf9; } .failed { fill: #e0e0e0; stroke-dasharray: 3 2; }",
            ".info { fill: url(#hatch); }",
            ".windowspan { fill: #ff5252; fill-opacity: 0.08; stroke: #ff5252; stroke-dasharray: 4 3; }",
            ".legend .sw { display: inline-block; width: 1.2em; height: 0.8em; margin: 0 0.3em 0 1em;"
                    + " border: 1px solid #333; vertical-align: middle; }",
            ".legend .sw.linearized { background: #9fd89f; } .legend .sw.window { background: #ffb74d; }",
            ".legend .sw.blocked { background: #e57373; } .legend .sw.other { background: #90caf9; }",
            ".legend .sw.failed { background: #e0e0e0; }",
            ".legend .sw.info { background: repeating-linear-gradient(45deg, #ce93d8 0 3px, #fff 3px 6px); }",
            "table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 2px 8px;"
                    + " font-family: monospace; }",
            ".blockedrow { background: #ffcdd2; }",
            "code { font-size: 0.95em; }",
            "");

    private Css() {
    }
}
