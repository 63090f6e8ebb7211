// Host tests for kernel/boot/command_line.cpp.
#include "boot/command_line.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using kite::command_line_option;
using kite::StringView;

TEST(CommandLine, FindsKeyValue) {
    StringView value;
    ASSERT_TRUE(command_line_option("quiet kite.test=all init=/bin/sh", "kite.test", value));
    EXPECT_TRUE(value == "all");
    ASSERT_TRUE(command_line_option("quiet kite.test=all init=/bin/sh", "init", value));
    EXPECT_TRUE(value == "/bin/sh");
}

TEST(CommandLine, BareWordHasEmptyValue) {
    StringView value = "x";
    ASSERT_TRUE(command_line_option("  quiet   ", "quiet", value));
    EXPECT_TRUE(value.is_empty());
}

TEST(CommandLine, PrefixOfAnotherKeyDoesNotMatch) {
    StringView value;
    EXPECT_FALSE(command_line_option("kite.tests=1 xkite.test=2", "kite.test", value));
    EXPECT_FALSE(command_line_option("", "kite.test", value));
}

TEST(CommandLine, LastOccurrenceWins) {
    StringView value;
    ASSERT_TRUE(command_line_option("a=1 a=2", "a", value));
    EXPECT_TRUE(value == "2");
}

TEST(CommandLine, ListItems) {
    std::vector<std::string> items;
    kite::for_each_list_item(
        ",a,,bc,", [&](StringView item) { items.emplace_back(item.data(), item.length()); });
    EXPECT_EQ(items, (std::vector<std::string>{"a", "bc"}));
}
