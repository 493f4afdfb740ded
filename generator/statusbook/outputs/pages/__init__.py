"""Model -> HTML fragments for every Statusbook page. Pure: nothing here writes to the disk.

The host places each fragment inside the theme's page chrome. One `render.Renderer` per build
holds the templates and the helpers they call; each page family is a module of functions of
it: `status` (home, components, embed), `entries` (incidents, maintenance), `history`,
`postmortems` (the library, its pages and action items), `metrics`, and `stamped` (every page
at `kind/id/`, from the render store or rendered, by worker processes on large sites).
"""
