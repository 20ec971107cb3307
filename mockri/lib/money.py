def format_inr(paise: int) -> str:
    """Format an amount in paise the Indian way: 149900 -> '₹1,499', 1234550 -> '₹12,345.50'."""
    rupees, remainder = divmod(paise, 100)
    digits = str(rupees)
    # Indian grouping: the last three digits, then groups of two (1,23,45,678).
    head, tail = digits[:-3], digits[-3:]
    groups: list[str] = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    if head:
        groups.insert(0, head)
    grouped = ",".join([*groups, tail]) if groups else tail
    return f"₹{grouped}.{remainder:02d}" if remainder else f"₹{grouped}"
