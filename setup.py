# Kept for pip on Python 2.7, whose setuptools reads setup.cfg only through setup().
from setuptools import setup

setup()
