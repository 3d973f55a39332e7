// SPDX-License-Identifier: MIT
#include "keytree.h"

#include <QHashFunctions>

#include <algorithm>

namespace bullpen::keys {

KeyTree::KeyTree(QByteArray delimiter, int maxDepth)
    : m_delimiter(std::move(delimiter))
    , m_maxDepth(std::max(0, maxDepth))
{
    m_folders.push_back(Folder { kNone, 0 });
    m_slots.assign(1024, kNone);
}

KeyTree::~KeyTree() = default;

size_t KeyTree::hashOf(Id folder, QByteArrayView seg, bool isFolder)
{
    return qHash(seg, size_t(folder) * 2 + (isFolder ? 1 : 0));
}

KeyTree::Id KeyTree::findChild(Id folder, QByteArrayView seg, bool wantFolder, size_t* slot) const
{
    const size_t mask = m_slots.size() - 1;
    size_t i = hashOf(folder, seg, wantFolder) & mask;
    while (true) {
        const Id n = m_slots[i];
        if (n == kNone) {
            if (slot)
                *slot = i;
            return kNone;
        }
        const Node& node = m_nodes[n];
        if (node.parent == folder && (node.folder != kNone) == wantFolder && segment(n) == seg) {
            if (slot)
                *slot = i;
            return n;
        }
        i = (i + 1) & mask;
    }
}

void KeyTree::grow()
{
    std::vector<Id> old(m_slots.size() * 2, kNone);
    old.swap(m_slots);
    const size_t mask = m_slots.size() - 1;
    for (const Id n : old) {
        if (n == kNone)
            continue;
        size_t i = hashOf(m_nodes[n].parent, segment(n), m_nodes[n].folder != kNone) & mask;
        while (m_slots[i] != kNone)
            i = (i + 1) & mask;
        m_slots[i] = n;
    }
}

KeyTree::Id KeyTree::append(Id folder, QByteArrayView seg, bool makeFolder, size_t slot)
{
    const auto offset = quint32(m_arena.size());
    m_arena.insert(m_arena.end(), seg.begin(), seg.end());
    const auto id = Id(m_nodes.size());
    Folder& parent = m_folders[folder];
    Id folderId = kNone;
    if (makeFolder) {
        folderId = Id(m_folders.size());
        m_folders.push_back(Folder { id, quint32(parent.children.size()) });
    }
    // m_folders may have moved: index again.
    Folder& p = m_folders[folder];
    m_nodes.push_back(Node { folder, offset, quint32(seg.size()), folderId });
    p.children.push_back(id);
    if (!p.touched) {
        p.touched = true;
        m_touched.push_back(folder);
    }
    m_slots[slot] = id;
    if (++m_used * 2 > m_slots.size())
        grow();
    return id;
}

void KeyTree::revive(Id node)
{
    Node& n = m_nodes[node];
    n.length &= kLengthMask;
    Folder& p = m_folders[n.parent];
    if (n.folder != kNone) {
        Folder& f = m_folders[n.folder];
        f.row = quint32(p.children.size());
        f.children.clear();
        f.visible = 0;
        f.keyCount = 0;
    }
    p.children.push_back(node);
    if (!p.touched) {
        p.touched = true;
        m_touched.push_back(n.parent);
    }
}

KeyTree::Id KeyTree::addKey(QByteArrayView key)
{
    if (m_arena.size() + size_t(key.size()) >= kRemoved)
        return kNone; // 2 GiB of names: refuse rather than overflow the offsets
    Id folder = 0;
    qsizetype start = 0;
    int depth = 0;
    const QByteArrayView delim(m_delimiter);
    while (!delim.isEmpty() && (m_maxDepth == 0 || depth < m_maxDepth)) {
        const qsizetype at = key.indexOf(delim, start);
        if (at < 0)
            break;
        const QByteArrayView seg = key.sliced(start, at - start);
        size_t slot = 0;
        Id n = findChild(folder, seg, true, &slot);
        if (n == kNone)
            n = append(folder, seg, true, slot);
        else if (m_nodes[n].length & kRemoved)
            revive(n);
        folder = m_nodes[n].folder;
        start = at + delim.size();
        ++depth;
    }
    const QByteArrayView leaf = key.sliced(start);
    size_t slot = 0;
    Id n = findChild(folder, leaf, false, &slot);
    if (n != kNone && !(m_nodes[n].length & kRemoved))
        return kNone;
    if (n == kNone)
        n = append(folder, leaf, false, slot);
    else
        revive(n);
    for (Id f = folder;; f = m_nodes[m_folders[f].node].parent) {
        ++m_folders[f].keyCount;
        if (f == 0)
            break;
    }
    return n;
}

KeyTree::Id KeyTree::findFolder(QByteArrayView path) const
{
    Id folder = 0;
    qsizetype start = 0;
    const QByteArrayView delim(m_delimiter);
    while (start <= path.size()) {
        qsizetype at = delim.isEmpty() ? -1 : path.indexOf(delim, start);
        if (at < 0)
            at = path.size();
        const Id n = findChild(folder, path.sliced(start, at - start), true, nullptr);
        if (n == kNone || (m_nodes[n].length & kRemoved))
            return kNone;
        folder = m_nodes[n].folder;
        start = at + delim.size();
        if (at == path.size())
            break;
    }
    return folder;
}

KeyTree::Id KeyTree::findKey(QByteArrayView key) const
{
    Id folder = 0;
    qsizetype start = 0;
    int depth = 0;
    const QByteArrayView delim(m_delimiter);
    while (!delim.isEmpty() && (m_maxDepth == 0 || depth < m_maxDepth)) {
        const qsizetype at = key.indexOf(delim, start);
        if (at < 0)
            break;
        const Id n = findChild(folder, key.sliced(start, at - start), true, nullptr);
        if (n == kNone || (m_nodes[n].length & kRemoved))
            return kNone;
        folder = m_nodes[n].folder;
        start = at + delim.size();
        ++depth;
    }
    const Id n = findChild(folder, key.sliced(start), false, nullptr);
    return n == kNone || (m_nodes[n].length & kRemoved) ? kNone : n;
}

bool KeyTree::isVisible(Id folder) const
{
    while (folder != 0) {
        const Folder& f = m_folders[folder];
        const Id parent = m_nodes[f.node].parent;
        if (f.row >= m_folders[parent].visible)
            return false;
        folder = parent;
    }
    return true;
}

void KeyTree::revealAll(Id folder)
{
    Folder& f = m_folders[folder];
    f.visible = quint32(f.children.size());
    f.touched = false;
    for (const Id c : f.children) {
        if (m_nodes[c].folder != kNone)
            revealAll(m_nodes[c].folder);
    }
}

void KeyTree::publish(const std::function<void(Id, int, int)>& before, const std::function<void()>& after)
{
    if (m_touched.empty())
        return;
    std::vector<std::pair<int, Id>> order;
    order.reserve(m_touched.size());
    for (const Id f : m_touched)
        order.emplace_back(f == 0 ? 0 : depth(m_folders[f].node) + 1, f);
    m_touched.clear();
    std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [d, folder] : order) {
        Folder& f = m_folders[folder];
        f.touched = false;
        if (f.visible >= f.children.size() || !isVisible(folder))
            continue; // nothing new, or revealed with a new ancestor
        const int first = int(f.visible);
        const int last = int(f.children.size()) - 1;
        before(folder, first, last);
        for (int r = first; r <= last; ++r) {
            const Id c = m_folders[folder].children[size_t(r)];
            if (m_nodes[c].folder != kNone)
                revealAll(m_nodes[c].folder);
        }
        m_folders[folder].visible = quint32(last + 1);
        after();
    }
}

quint64 KeyTree::detach(Id node)
{
    Node& n = m_nodes[node];
    n.length |= kRemoved;
    if (n.folder == kNone)
        return 1;
    Folder& f = m_folders[n.folder];
    for (const Id c : f.children)
        detach(c);
    const quint64 keys = f.keyCount;
    f.children.clear();
    f.visible = 0;
    f.keyCount = 0;
    return keys;
}

quint64 KeyTree::remove(Id node)
{
    const Id parent = m_nodes[node].parent;
    const int row = rowOf(node);
    if (row < 0 || (m_nodes[node].length & kRemoved))
        return 0;
    const quint64 keys = detach(node);
    Folder& p = m_folders[parent];
    p.children.erase(p.children.begin() + row);
    if (p.visible > quint32(row))
        --p.visible;
    for (size_t r = size_t(row); r < p.children.size(); ++r) {
        const Id c = p.children[r];
        if (m_nodes[c].folder != kNone)
            m_folders[m_nodes[c].folder].row = quint32(r);
    }
    for (Id f = parent;; f = m_nodes[m_folders[f].node].parent) {
        m_folders[f].keyCount -= quint32(keys);
        if (f == 0)
            break;
    }
    return keys;
}

QByteArray KeyTree::fullName(Id node) const
{
    std::vector<Id> path;
    for (Id n = node;;) {
        path.push_back(n);
        const Id p = m_nodes[n].parent;
        if (p == 0)
            break;
        n = m_folders[p].node;
    }
    QByteArray out;
    for (auto it = path.rbegin(); it != path.rend(); ++it) {
        if (it != path.rbegin())
            out += m_delimiter;
        const QByteArrayView seg = segment(*it);
        out.append(seg.data(), seg.size());
    }
    return out;
}

int KeyTree::rowOf(Id node) const
{
    const Node& n = m_nodes[node];
    if (n.folder != kNone)
        return int(m_folders[n.folder].row);
    const auto& c = m_folders[n.parent].children;
    const auto it = std::find(c.begin(), c.end(), node);
    return it == c.end() ? -1 : int(it - c.begin());
}

int KeyTree::depth(Id node) const
{
    int d = 0;
    for (Id p = m_nodes[node].parent; p != 0; p = m_nodes[m_folders[p].node].parent)
        ++d;
    return d;
}

void KeyTree::forEachKey(Id folder, const std::function<bool(Id)>& f) const
{
    std::vector<Id> stack { folder };
    while (!stack.empty()) {
        const Id cur = stack.back();
        stack.pop_back();
        for (const Id c : m_folders[cur].children) {
            if (m_nodes[c].folder != kNone)
                stack.push_back(m_nodes[c].folder);
            else if (!f(c))
                return;
        }
    }
}

size_t KeyTree::memoryUsage() const
{
    size_t bytes = m_nodes.capacity() * sizeof(Node) + m_folders.capacity() * sizeof(Folder)
        + m_arena.capacity() + m_slots.capacity() * sizeof(Id) + m_touched.capacity() * sizeof(Id);
    for (const Folder& f : m_folders)
        bytes += f.children.capacity() * sizeof(Id);
    return bytes;
}

void KeyTree::squeeze()
{
    m_nodes.shrink_to_fit();
    m_folders.shrink_to_fit();
    m_arena.shrink_to_fit();
    for (Folder& f : m_folders)
        f.children.shrink_to_fit();
}

} // namespace bullpen::keys
