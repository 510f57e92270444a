"""One hostile article and file name, shared by the report tests with and without a browser."""

HOSTILE = (
    "date 2022-03-01\nGazprom said <script>window.__pwned=1</script> the pipeline will carry 5 billion "
    "cubic meters of gas a year by 2025.\n<img src=x onerror=\"window.__pwned=2\"> Russia's project costs "
    "$3 billion, see <a href=\"javascript:window.__pwned=3\">here</a>.\n</textarea><style>body{display:none}"
    "</style> He said \"' onmouseover=\"window.__pwned=4\" x=' in Moscow.\nBidi: \u202eexe.live\u202c "
    "and \u2066isolate\u2069 in London.\n"
)
HOSTILE_NAME = '"><img src=x onerror=window.__pwned=5>.txt'
