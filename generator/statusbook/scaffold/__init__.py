"""`statusbook init`: a new site from site_template/."""
