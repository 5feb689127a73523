"""Paris geographic data built for scout (installed as the package `scout.geodata`).

Source : Ville de Paris — opendata.paris.fr (ODbL). See build.py for how each file is made.
"""
