// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <functional>
#include <vector>

namespace bullpen::keys {

/// A compact prefix tree of key names split on a delimiter, built for millions of keys: every
/// name segment is stored once in one byte arena, a node is 16 bytes, folders keep their
/// children in a vector of node numbers, and lookups go through one open-addressing table of
/// node numbers. Not a QObject and not thread-aware: the model that owns it lives on one thread.
///
/// Rows become visible in two steps so that a model can announce them: addKey() appends to
/// the structure, publish() makes the appended rows count (visibleCount) and reports each
/// folder's new range before and after it does.
///
/// Folder 0 is the root. A key "a:b:c" is the leaf "c" in folder "a:b"; a key "a:b" and a
/// folder "a:b" are two rows. maxDepth > 0 keeps at most that many folder levels (the rest of
/// the name stays in the leaf).
class KeyTree
{
public:
    using Id = quint32;
    static constexpr Id kNone = 0xffffffffu;

    explicit KeyTree(QByteArray delimiter = QByteArrayLiteral(":"), int maxDepth = 0);
    ~KeyTree();
    KeyTree(const KeyTree&) = delete;
    KeyTree& operator=(const KeyTree&) = delete;

    const QByteArray& delimiter() const { return m_delimiter; }
    int maxDepth() const { return m_maxDepth; }

    /// Adds a key name; returns its node, or kNone when the tree already had it.
    Id addKey(QByteArrayView key);
    /// The node of a key, or kNone.
    Id findKey(QByteArrayView key) const;
    /// The folder number of a folder path ("a:b"), or kNone.
    Id findFolder(QByteArrayView path) const;

    /// Makes every row added since the last call visible. For each folder whose row count grows,
    /// `before(folder, first, last)` runs first (rows not yet visible), then `after()`.
    void publish(const std::function<void(Id folder, int first, int last)>& before, const std::function<void()>& after);

    /// Removes a key node or a folder node (with everything below) from its parent; the caller
    /// announces the row (rowOf) before. Returns how many keys went away.
    quint64 remove(Id node);

    // Nodes
    bool isFolder(Id node) const { return m_nodes[node].folder != kNone; }
    Id folderOf(Id node) const { return m_nodes[node].folder; }
    Id parentFolder(Id node) const { return m_nodes[node].parent; }
    QByteArrayView segment(Id node) const
    {
        const Node& n = m_nodes[node];
        return QByteArrayView(m_arena.data() + n.offset, n.length & kLengthMask);
    }
    /// The whole key name; for a folder its path without a trailing delimiter.
    QByteArray fullName(Id node) const;
    /// Row of a node in its parent folder (O(1) for folders, a search for keys).
    int rowOf(Id node) const;
    int depth(Id node) const;

    // Folders (folder 0 is the root, its node is kNone)
    Id folderNode(Id folder) const { return m_folders[folder].node; }
    int folderRow(Id folder) const { return int(m_folders[folder].row); }
    int visibleCount(Id folder) const { return int(m_folders[folder].visible); }
    Id child(Id folder, int row) const { return m_folders[folder].children[size_t(row)]; }
    /// Keys anywhere below the folder.
    quint64 keyCount(Id folder) const { return m_folders[folder].keyCount; }
    /// Calls `f(node)` for every key node below `folder` (depth first), until f returns false.
    void forEachKey(Id folder, const std::function<bool(Id)>& f) const;

    quint64 keyCount() const { return m_folders[0].keyCount; }
    size_t folderCount() const { return m_folders.size(); }
    /// Bytes held by the structure (capacity, not size: what the process pays).
    size_t memoryUsage() const;
    /// Gives back spare capacity (after a complete load).
    void squeeze();

private:
    struct Node {
        Id parent; // folder number
        quint32 offset; // into m_arena
        quint32 length; // segment length; top bit: removed
        Id folder; // folder number, kNone for a key
    };
    struct Folder {
        Id node;
        quint32 row;
        quint32 visible = 0;
        quint32 keyCount = 0;
        bool touched = false;
        std::vector<Id> children {};
    };
    static constexpr quint32 kRemoved = 0x80000000u;
    static constexpr quint32 kLengthMask = 0x7fffffffu;

    Id findChild(Id folder, QByteArrayView seg, bool wantFolder, size_t* slot) const;
    Id append(Id folder, QByteArrayView seg, bool makeFolder, size_t slot);
    void revive(Id node);
    void grow();
    static size_t hashOf(Id folder, QByteArrayView seg, bool isFolder);
    bool isVisible(Id folder) const;
    void revealAll(Id folder);
    quint64 detach(Id node);

    QByteArray m_delimiter;
    int m_maxDepth = 0;
    std::vector<Node> m_nodes;
    std::vector<Folder> m_folders;
    std::vector<char> m_arena;
    std::vector<Id> m_slots; // open addressing, kNone = empty
    size_t m_used = 0;
    std::vector<Id> m_touched;
};

} // namespace bullpen::keys
