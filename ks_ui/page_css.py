"""The app's own CSS: contrast fixes and a layout that holds on a 390 px phone."""

CSS = ("<style>"
       # Streamlit's faded caption colour fails WCAG 2.1 AA contrast (1.4.3); darken it.
       "[data-testid='stCaptionContainer'], [data-testid='stCaptionContainer'] * "
       "{color: #4a4a4a !important; opacity: 1 !important;}"
       # the label of a disabled choice stays readable (its reason is in the help and a caption)
       "[data-testid='stWidgetLabel'] p {color: #4a4a4a !important;}"
       # A table wider than its box scrolls inside it (the page script gives that box keyboard focus), words stay
       # whole, and the first column (area or indicator) stays in view while the rest scrolls.
       "[data-testid='stTable'] {overflow: visible !important;}"
       "[data-testid='stTable'] > div {overflow-x: auto !important; max-width: 100%;}"
       "[data-testid='stTable'] td, [data-testid='stTable'] th "
       "{white-space: normal !important; overflow-wrap: normal; word-break: normal; min-width: 5.5rem;}"
       "[data-testid='stTable'] tbody th, [data-testid='stTable'] thead th:first-child "
       "{position: sticky; left: 0; z-index: 1; background: #ffffff; max-width: 42vw;}"
       # headings break at syllables (soft hyphens from ks_ui.dutch.hyphenated), never mid-syllable
       "h1, h2, h3 {overflow-wrap: normal; word-break: normal; hyphens: manual;}"
       "@media (max-width: 640px) {h1 {font-size: 2rem !important;} h2 {font-size: 1.5rem !important;}"
       # a phone's first screen holds a figure: less empty space above the title, smaller card headings
       " h3 {font-size: 1.3rem !important;}"
       " [data-testid='stMainBlockContainer'] {padding-top: 3.5rem !important;}}"
       # the start page's task links wrap on a phone instead of being cut off, and look like something to press
       "[data-testid='stPageLink'] * {white-space: normal !important; overflow: visible !important;"
       " text-overflow: clip !important;}"
       "[data-testid='stPageLink'] a {border: 1px solid #9aa3ad; border-radius: 0.5rem; height: auto !important;"
       " padding: 0.4rem 0.75rem;}"
       "</style>")
