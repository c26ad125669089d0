"""What a search shows: `snippets` (fragments and highlights from the stored text) and
`render` (terminal, plain, HTML and JSON output)."""
