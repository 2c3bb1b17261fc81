package dev.jdht.krpc.wire;

import java.util.AbstractList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.RandomAccess;

/**
 * Base of the read-only list views ({@link CompactNodes}, {@link CompactPeers}): subclasses give
 * {@link #get(int)} and {@link #size()}, and every other {@link List} method behaves exactly as
 * {@link AbstractList}'s, through a throwaway {@code AbstractList} over those two. The views
 * themselves carry no inherited field (AbstractList's {@code modCount} would cost 8 bytes per
 * view, and one or two views are made per decoded response). Mutators throw {@link
 * UnsupportedOperationException}.
 *
 * <p>Thread-safe if the subclass is (the views are immutable).
 */
abstract class ReadOnlyList<E> implements List<E>, RandomAccess {
  /** An AbstractList over this view, for the List methods that AbstractList implements. */
  private List<E> list() {
    return new AbstractList<E>() {
      @Override
      public E get(int index) {
        return ReadOnlyList.this.get(index);
      }

      @Override
      public int size() {
        return ReadOnlyList.this.size();
      }
    };
  }

  @Override
  public boolean isEmpty() {
    return size() == 0;
  }

  @Override
  public boolean contains(Object o) {
    return list().contains(o);
  }

  @Override
  public Iterator<E> iterator() {
    return list().iterator();
  }

  @Override
  public Object[] toArray() {
    return list().toArray();
  }

  @Override
  public <T> T[] toArray(T[] a) {
    return list().toArray(a);
  }

  @Override
  public boolean add(E e) {
    return list().add(e);
  }

  @Override
  public boolean remove(Object o) {
    return list().remove(o);
  }

  @Override
  public boolean containsAll(Collection<?> c) {
    return list().containsAll(c);
  }

  @Override
  public boolean addAll(Collection<? extends E> c) {
    return list().addAll(c);
  }

  @Override
  public boolean addAll(int index, Collection<? extends E> c) {
    return list().addAll(index, c);
  }

  @Override
  public boolean removeAll(Collection<?> c) {
    return list().removeAll(c);
  }

  @Override
  public boolean retainAll(Collection<?> c) {
    return list().retainAll(c);
  }

  @Override
  public void clear() {
    list().clear();
  }

  @Override
  public E set(int index, E element) {
    return list().set(index, element);
  }

  @Override
  public void add(int index, E element) {
    list().add(index, element);
  }

  @Override
  public E remove(int index) {
    return list().remove(index);
  }

  @Override
  public int indexOf(Object o) {
    return list().indexOf(o);
  }

  @Override
  public int lastIndexOf(Object o) {
    return list().lastIndexOf(o);
  }

  @Override
  public ListIterator<E> listIterator() {
    return list().listIterator();
  }

  @Override
  public ListIterator<E> listIterator(int index) {
    return list().listIterator(index);
  }

  @Override
  public List<E> subList(int fromIndex, int toIndex) {
    return list().subList(fromIndex, toIndex);
  }

  /** Equal to any list with equal elements in the same order, as {@link List#equals} says. */
  @Override
  public boolean equals(Object o) {
    return o == this || list().equals(o);
  }

  @Override
  public int hashCode() {
    return list().hashCode();
  }

  @Override
  public String toString() {
    return list().toString();
  }
}
