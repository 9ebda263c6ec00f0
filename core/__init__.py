"""What every app shares and nothing else: the domain error base and the view helpers that show
a refusal as a French message. This package imports no other app of the project."""
