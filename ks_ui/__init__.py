"""Streamlit-side helpers: cached loading, the shared sidebar, figure builders and render pieces."""
