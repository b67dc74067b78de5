"""What brings figures into a bundle: wide portal exports, CBS OData and the refresh, the store with its history
and undo, and the generators of the example bundles. Builds on the table."""
