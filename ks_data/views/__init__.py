"""What the pages and the report ask of a publication: the Monitor, the evaluation, the report and its SVG and
XLSX writers, the planning and the methods' explanations. Builds on the published views only."""
