"""What to make of a learner's history: progress figures and what to practise next.

Pure functions over `store.Attempt`s; the faces (progress screen, `history stats`) show
them and the store feeds them, but neither lives here.
"""
