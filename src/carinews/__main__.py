from carinews.cli import main

main()
